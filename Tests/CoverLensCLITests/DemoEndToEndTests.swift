import Foundation
import Testing

/// Issue 7, point 4: the main job end to end on a freshly generated set (not the committed
/// Examples/), through the built binary exactly as a user runs it: `coverlens synth` draws the
/// set, `coverlens demo --examples` trains the head (head mode, the defaults of `train`), scores
/// the candidates and writes the report bundle. Then:
///   (a) the kept head's validation ROC AUC is at least 0.9;
///   (b) at least 80% of the candidates' closest popular cover has the candidate's style (genre),
///       by the styles `synth` wrote into manifest.csv;
///   (c) every file the report references exists inside the bundle folder, and nothing points outside it.
@Suite("Demo end to end on a fresh synthetic set")
struct DemoEndToEndTests {
    /// Not the Examples/ seed (7): the test must not depend on the committed files.
    static let seed = 2026
    static let perClass = 60
    /// Enough for a percentage to mean something: one candidate is 4 points.
    static let candidates = 25

    @Test("synth → demo: validation AUC ≥ 0.9, top-1 match shares the style ≥ 80%, the bundle is complete")
    func freshSetEndToEnd() throws {
        let model = CLI.repository.appendingPathComponent("Models/efficientnet-lite0.safetensors")
        try #require(FileManager.default.fileExists(atPath: model.path),
                     "\(model.path) is missing: run scripts/setup.sh, which converts the pretrained EfficientNet-Lite0 weights")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("set"), report = work.appendingPathComponent("report")
        let started = Date()

        let synth = try CLI.run(["synth", "--out", data.path, "--per-class", "\(Self.perClass)",
                                 "--candidates", "\(Self.candidates)", "--seed", "\(Self.seed)"], in: work, timeout: 300)
        try #require(synth.status == 0 && !synth.signalled, "synth failed: \(synth)")
        let synthesised = Date()
        // --threads pins the model byte for byte whatever the machine's core count.
        let demo = try CLI.run(["demo", "--examples", data.path, "--out", report.path, "--model", model.path,
                                "--cache", work.appendingPathComponent("cache/embeddings.sqlite").path, "--threads", "2"],
                               in: work, timeout: 600)
        try #require(demo.status == 0 && !demo.signalled, "demo failed: \(demo)")
        print("end to end: synth \(Self.seconds(since: started, to: synthesised)) s, demo \(Self.seconds(since: synthesised)) s")
        #expect(demo.stdout.contains("Open the report") && demo.stdout.contains(report.appendingPathComponent("index.html").path),
                "demo must say where to open the report: \(demo.stdout.suffix(600))")

        try expectLearnable(trainingLog: work.appendingPathComponent("report-model/training-log.json"))
        try expectMatchesShareStyle(results: report.appendingPathComponent("results.json"),
                                    manifest: try SynthManifest(url: data.appendingPathComponent("manifest.csv")))
        try expectCompleteBundle(report)
    }

    /// (a) The epoch the trainer kept reaches AUC ≥ 0.9 on the held-out covers.
    private func expectLearnable(trainingLog url: URL) throws {
        let log = try JSONFile(url)
        let epochs = try log.array("epochs")
        let best = try log.int("bestEpoch")
        try #require((1...epochs.count).contains(best), "bestEpoch \(best) is not one of the \(epochs.count) epochs in \(url.path)")
        let auc = try JSONFile(epochs[best - 1], in: url).double("validationAUC")
        let held = try log.int("validationCount")
        #expect(held >= 20, "only \(held) covers held out for validation: too few for an AUC to mean much")
        print("end to end: kept epoch \(best), validation AUC \(auc) on \(held) held-out covers")
        #expect(auc >= 0.9, "kept epoch \(best): validation AUC \(auc) < 0.9 on \(held) held-out covers")
    }

    /// (b) A candidate's closest popular cover is usually one of its own genre.
    private func expectMatchesShareStyle(results url: URL, manifest: SynthManifest) throws {
        let candidates = try JSONFile(url).array("candidates")
        #expect(candidates.count == Self.candidates, "results.json scores \(candidates.count) candidates, not \(Self.candidates)")
        var same = 0, failures: [String] = []
        for entry in candidates {
            let candidate = try JSONFile(entry, in: url)
            let file = try candidate.string("file")
            let matches = try candidate.array("matches")
            guard let first = matches.first else { failures.append("\(file): no matches"); continue }
            let match = try JSONFile(first, in: url).string("file")
            let own = try manifest.style(of: "candidates/\(file)"), theirs = try manifest.style(of: "popular/\(match)")
            if own == theirs { same += 1 } else { failures.append("\(file) (\(own)) → \(match) (\(theirs))") }
        }
        let share = Double(same) / Double(max(candidates.count, 1))
        print("end to end: top-1 match shares the style for \(same) of \(candidates.count) candidates")
        #expect(share >= 0.8, "top-1 match shares the style for \(same) of \(candidates.count) candidates; others: \(failures)")
    }

    /// (c) The page, its style sheet and everything they reference are in the bundle folder.
    private func expectCompleteBundle(_ bundle: URL) throws {
        let references = try ReportReferences(bundle: bundle)
        #expect(references.outside.isEmpty, "references pointing outside the bundle: \(references.outside)")
        #expect(references.missing.isEmpty, "referenced files missing from the bundle: \(references.missing)")
        #expect(references.brokenAnchors.isEmpty, "links to ids the page does not have: \(references.brokenAnchors)")
        // The page must really reference its parts, or an empty page would pass.
        for part in ["report.css", "report.pdf", "results.json", "results.csv"] {
            #expect(references.files.contains(part), "index.html does not link \(part); it links \(references.files.sorted().prefix(10))…")
        }
        let images = references.files.filter { $0.hasSuffix(".webp") || $0.hasSuffix(".jpg") }
        #expect(images.count >= 3 * Self.candidates, "only \(images.count) images referenced for \(Self.candidates) candidates")
    }

    private static func seconds(since start: Date, to end: Date = Date()) -> String {
        String(format: "%.1f", end.timeIntervalSince(start))
    }
}

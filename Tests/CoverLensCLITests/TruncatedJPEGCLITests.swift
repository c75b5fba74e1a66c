import Foundation
import Testing

/// Issue 16, point 7: JPEGs cut short, as a user meets them in a folder. A file that lacks only its
/// end marker, or a progressive file that lost only its last refinement scans, is used with a
/// warning naming it; a file cut inside its image data is skipped (exit 3), or used with its
/// missing part grey under `--allow-truncated` (exit 0). The files are cut from the synthetic
/// Examples/ covers and a generated progressive fixture, never real covers.
@Suite("Truncated JPEGs", .serialized)
final class TruncatedJPEGCLITests {
    let work: URL
    let covers: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-truncated-\(UUID().uuidString)")
        covers = work.appendingPathComponent("covers")
        try BadCorpus.copyExampleCovers("popular", count: 3, to: covers)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    /// A synthetic baseline cover's bytes.
    private func baselineCover() throws -> Data {
        try Data(contentsOf: try #require(try BadCorpus.exampleCovers("candidates").first))
    }

    /// The generated progressive JPEG (libjpeg's ten scans) cut in the middle of its last scan, a refinement scan.
    private func progressiveCutInItsLastScan() throws -> Data {
        let file = [UInt8](try Data(contentsOf: CLI.repository.appendingPathComponent("Tests/Fixtures/images/jpeg-cover-progressive.jpg")))
        let lastScan = try #require((0 ..< file.count - 1).last { file[$0] == 0xFF && file[$0 + 1] == 0xDA })
        return Data(file[..<((lastScan + file.count - 2) / 2)])
    }

    private func embed(_ extra: [String] = []) throws -> CLI.Outcome {
        try CLI.run(["embed", covers.path, "--out", work.appendingPathComponent("e.csv").path, "--model", try CLI.model(), "--no-cache"] + extra,
                    in: work)
    }

    private func expectUsedWithWarning(_ outcome: CLI.Outcome, file: String, saying words: String, embeddings: Int) {
        #expect(!outcome.signalled && outcome.status == 0, "exit 0 expected: \(outcome)")
        #expect(outcome.stderr.contains("warning covers/\(file): ") && outcome.stderr.contains(words), "warning naming \(file): \(outcome)")
        #expect(outcome.stdout.contains("wrote \(embeddings) embeddings"), "\(outcome)")
        #expect(!outcome.stderr.contains("skipped"), "\(outcome)")
    }

    @Test("a JPEG lacking only its end marker: used with a warning, exit 0")
    func missingEndMarker() throws {
        let cover = try baselineCover()
        try cover.prefix(cover.count - 2).write(to: covers.appendingPathComponent("no-end-marker.jpg"))
        expectUsedWithWarning(try embed(), file: "no-end-marker.jpg", saying: "end marker is missing", embeddings: 4)
    }

    @Test("a progressive JPEG cut in its last refinement scan: used with a warning, exit 0, in embed and score")
    func progressiveMissingRefinement() throws {
        try progressiveCutInItsLastScan().write(to: covers.appendingPathComponent("progressive-cut.jpg"))
        expectUsedWithWarning(try embed(), file: "progressive-cut.jpg", saying: "last refinement scans", embeddings: 4)
        let candidates = work.appendingPathComponent("candidates")
        try BadCorpus.copyExampleCovers("candidates", count: 1, to: candidates)
        let score = try CLI.run(["score", "--popular", covers.path, "--candidates", candidates.path, "--format", "json",
                                 "--out", work.appendingPathComponent("out").path, "--model", try CLI.model(), "--no-cache"], in: work)
        #expect(score.status == 0, "\(score)")
        #expect(score.stderr.contains("warning popular/progressive-cut.jpg: ") && score.stderr.contains("last refinement scans"), "\(score)")
    }

    @Test("evaluate names a progressive JPEG missing its last refinement scans, as embed and score do")
    func evaluateWarnsOfACutShortCover() throws {
        let data = work.appendingPathComponent("labelled")
        try BadCorpus.copyExampleCovers("popular", count: 2, to: data.appendingPathComponent("popular"))
        try BadCorpus.copyExampleCovers("other", count: 2, to: data.appendingPathComponent("other"))
        try progressiveCutInItsLastScan().write(to: data.appendingPathComponent("popular/progressive-cut.jpg"))
        let model = work.appendingPathComponent("recipe.safetensors")
        let imported = try CLI.run(["import-weights", try RecipeCheckpoint.file().path, "--arch", "resnet18", "--out", model.path], in: work)
        try #require(imported.status == 0, "\(imported)")
        let evaluated = try CLI.run(["evaluate", model.path, data.path, "--no-cache", "--out", work.appendingPathComponent("e.json").path], in: work)
        #expect(evaluated.status == 0, "\(evaluated)")
        #expect(evaluated.stderr.contains("warning evaluate popular/progressive-cut.jpg: ") && evaluated.stderr.contains("last refinement scans"),
                "\(evaluated)")
    }

    @Test("a baseline JPEG cut inside its image data: skipped with exit 3; --allow-truncated uses it grey-filled, exit 0")
    func cutInsideTheImageData() throws {
        let cover = try baselineCover()
        try cover.prefix(cover.count / 2).write(to: covers.appendingPathComponent("half.jpg"))
        let skipped = try embed()
        #expect(skipped.status == 3, "exit 3 expected: \(skipped)")
        #expect(skipped.stderr.contains("skipped half.jpg: the file ends before the image does"), "\(skipped)")
        #expect(skipped.stdout.contains("wrote 3 embeddings"), "\(skipped)")
        expectUsedWithWarning(try embed(["--allow-truncated"]), file: "half.jpg", saying: "missing part is grey", embeddings: 4)

        let half = covers.appendingPathComponent("half.jpg").path
        let inspect = try CLI.run(["inspect", half], in: work)
        #expect(inspect.status == 3 && inspect.stdout.contains("ends before the image does"), "\(inspect)")
        let allowed = try CLI.run(["inspect", "--allow-truncated", half], in: work)
        #expect(allowed.status == 0 && allowed.stdout.contains("warning: the file ends inside the image data"), "\(allowed)")
    }
}

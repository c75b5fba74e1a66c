import Foundation
import Support
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8, point 3 for `train`: killed with SIGKILL at random moments (seeded), it leaves only
/// complete files (model, checkpoint, training log, embedding store), and `--resume` finishes
/// with the same model file an uninterrupted run writes.
@Suite("SIGKILL safety of train", .serialized)
final class TrainKillTests {
    static let seed: UInt64 = 11
    let work: URL
    let popular: URL
    let other: URL
    let store: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-trainkill-\(UUID().uuidString)")
        popular = work.appendingPathComponent("popular")
        other = work.appendingPathComponent("other")
        store = work.appendingPathComponent("cache/embeddings.sqlite")
        try BadCorpus.copyExampleCovers("popular", count: 8, to: popular)
        try BadCorpus.copyExampleCovers("other", count: 8, to: other)
    }

    /// Swift Testing makes one instance per test: its work folder goes with it.
    deinit { try? FileManager.default.removeItem(at: work) }

    func arguments(out: URL) throws -> [String] {
        ["train", "--popular", popular.path, "--other", other.path, "--epochs", "60", "--seed", "3", "--resume",
         "--out", out.path, "--model", try CLI.model(), "--cache", store.path]
    }

    @Test("train killed at 20+ random points: files stay whole, --resume writes the uninterrupted model")
    func killTrain() throws {
        let reference = work.appendingPathComponent("reference")
        let started = Date()
        let first = try CLI.run(try arguments(out: reference), in: work)
        try #require(first.status == 0 && !first.signalled, "the uninterrupted run must work: \(first)")
        let duration = Date().timeIntervalSince(started)
        let expected = try Data(contentsOf: reference.appendingPathComponent("model.safetensors"))

        let out = work.appendingPathComponent("killed")
        var random = SeededGenerator(seed: Self.seed)   // seeded, so a failing kill point can be replayed
        var landed = 0, attempt = 0
        while landed < 20 && attempt < 60 {
            attempt += 1
            if random.uniformInt(below: 4) == 0 { try? FileManager.default.removeItem(at: store) }
            // A finished run is started over now and then, so kills also land in early epochs.
            if random.uniformInt(below: 3) == 0 { try? FileManager.default.removeItem(at: out) }
            // The first run embedded the covers; later ones mostly read the cache and are shorter.
            let delay = 0.02 + (max(0.05, duration * 0.5) - 0.02) * random.uniformDouble()
            let arguments = try arguments(out: out)
            let logs = work.appendingPathComponent(".kill-\(attempt)")
            let (outcome, killed) = try CLI.runKilled(arguments, in: work, logs: logs, after: delay)
            if killed {
                landed += 1
            } else {
                #expect(outcome.status == 0, "attempt \(attempt): a run that was not killed must succeed: \(outcome)")
            }
            expectIntact(out, context: "attempt \(attempt), killed after \(String(format: "%.2f", delay)) s (seed \(Self.seed))")
        }
        #expect(landed >= 20, "only \(landed) of \(attempt) kills landed while train was running")

        let rerun = try CLI.run(try arguments(out: out), in: work)
        #expect(rerun.status == 0 && !rerun.signalled, "--resume after the kills must finish: \(rerun)")
        expectIntact(out, context: "after the rerun", finished: true)
        let model = try Data(contentsOf: out.appendingPathComponent("model.safetensors"))
        #expect(model == expected, "the resumed model differs from the uninterrupted run's (\(model.count) vs \(expected.count) bytes)")
    }

    func expectIntact(_ out: URL, context: String, finished: Bool = false) {
        for name in ["model.safetensors", "checkpoint.safetensors"] {
            let url = out.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else { continue }
            #expect(Self.isCompleteSafetensors(data), "\(context): \(name) is not a complete safetensors file (\(data.count) bytes)")
        }
        if let log = try? Data(contentsOf: out.appendingPathComponent("training-log.json")) {
            #expect((try? JSONSerialization.jsonObject(with: log)) != nil, "\(context): training-log.json does not parse")
        }
        if let header = try? FileHandle(forReadingFrom: store).read(upToCount: 16), !header.isEmpty {
            #expect(header == Data("SQLite format 3\0".utf8), "\(context): the embedding store is not an SQLite database")
        }
        // Every file present, not only the ones named above, is whole; a finished run leaves no temporaries.
        let files = CompleteFiles.check(out)
        #expect(files.problems.isEmpty, "\(context): torn files: \(files.problems)")
        #expect(!finished || files.leftovers.isEmpty, "\(context): temporary files left after a finished run: \(files.leftovers)")
    }

    /// An 8-byte little-endian header length, a JSON header, and data exactly as long as the
    /// largest tensor end offset: what a torn write cannot produce.
    static func isCompleteSafetensors(_ data: Data) -> Bool {
        guard let header = SafetensorsHeader(data) else { return false }
        let ends = header.json.values.compactMap { ($0 as? [String: Any])?["data_offsets"] as? [Int] }.compactMap(\.last)
        return (ends.max() ?? 0) == header.dataBytes
    }
}

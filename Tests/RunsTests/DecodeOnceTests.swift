import CoverAnalysis
import Foundation
import Imaging
import Reports
import Runs
import Testing

/// Counts the decodes of each cover file, by path.
final class DecodeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    var decoder: CoverDecoder {
        CoverDecoder { bytes, file, name, limits in
            self.lock.withLock { self.counts[file.standardizedFileURL.path, default: 0] += 1 }
            return try ImageDecoder.decode(bytes: bytes, name: name, limits: limits)
        }
    }

    func count(_ file: URL) -> Int { lock.withLock { counts[file.standardizedFileURL.path] ?? 0 } }
    var decodedTwice: [String: Int] { lock.withLock { counts.filter { $0.value > 1 } } }
    var total: Int { lock.withLock { counts.values.reduce(0, +) } }
}

/// Issue 15, point 6: scoring with Grad-CAM and writing the report decode each cover file once.
@Suite(.serialized, .enabled(if: RunFixtures.haveModel, "needs Models/efficientnet-lite0.safetensors (run scripts/setup.sh)"))
struct DecodeOnceTests {
    /// A model with a trained head (so the candidates get Grad-CAM), trained on the fixture covers.
    private func trainedModel(_ covers: RunFixtures) throws -> URL {
        var config = TrainingConfig()
        config.epochs = 2
        let outcome = try TrainRun(request: TrainingRequest(data: .pair(popular: covers.popular, other: covers.other),
                                                            output: covers.url("model"), config: config),
                                   baseModel: RunFixtures.model).run(CollectingObserver())
        return try #require(outcome.modelFile)
    }

    private func score(_ covers: RunFixtures, model: URL, cache: CacheSettings, out: String,
                       counter: DecodeCounter) throws -> ScoreRun.Outcome {
        var run = ScoreRun(request: ScoreRequest(popular: covers.popular, candidates: covers.candidates, other: covers.other),
                           model: model, cache: cache, report: ReportSettings(folder: covers.url(out), formats: [.html]))
        run.decoder = counter.decoder
        return try run.run(CollectingObserver())
    }

    private func files(_ folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).map { folder.appendingPathComponent($0) }
    }

    @Test func withoutACacheEveryCoverIsDecodedOnce() throws {
        let covers = try RunFixtures()
        let model = try trainedModel(covers)
        let counter = DecodeCounter()
        let outcome = try score(covers, model: model, cache: .none, out: "report", counter: counter)

        #expect(counter.decodedTwice.isEmpty, "decoded more than once: \(counter.decodedTwice)")
        // Everything was scanned, so every file was decoded exactly once; the report decoded nothing more.
        for file in try files(covers.popular) + files(covers.other) + files(covers.candidates) {
            #expect(counter.count(file) == 1, "\(file.lastPathComponent): \(counter.count(file)) decodes")
        }
        #expect(outcome.result.candidates.allSatisfy { $0.attention != nil }, "Grad-CAM for every candidate")
        let thumbnails = try FileManager.default.contentsOfDirectory(atPath: covers.url("report/covers").path)
        #expect(thumbnails.filter { $0.hasPrefix("candidates-") }.count == 2, "\(thumbnails)")
    }

    @Test func aCachedRunDecodesOnlyWhatTheReportShowsOnceAndScoresTheSame() throws {
        let covers = try RunFixtures()
        let model = try trainedModel(covers)
        let cache = CacheSettings(file: covers.url("cache/embeddings.sqlite"))
        try FileManager.default.createDirectory(at: covers.url("cache"), withIntermediateDirectories: true)
        let first = DecodeCounter()
        let cold = try score(covers, model: model, cache: cache, out: "cold", counter: first)
        #expect(first.decodedTwice.isEmpty, "cold run decoded more than once: \(first.decodedTwice)")

        let second = DecodeCounter()
        let warm = try score(covers, model: model, cache: cache, out: "warm", counter: second)
        #expect(second.decodedTwice.isEmpty, "warm run decoded more than once: \(second.decodedTwice)")
        // Embeddings, statistics and Grad-CAM come from the cache: only the report's thumbnails decode.
        let shown = Set(try FileManager.default.contentsOfDirectory(atPath: covers.url("warm/covers").path))
        #expect(second.total == shown.count, "\(second.total) decodes for \(shown.count) thumbnails")
        #expect(warm.result == cold.result)
        for name in shown {
            let a = try Data(contentsOf: covers.url("cold/covers/\(name)")), b = try Data(contentsOf: covers.url("warm/covers/\(name)"))
            #expect(a == b, "\(name): the kept picture and a fresh decode give different thumbnails")
        }
    }

    @Test func picturesPastTheBudgetAreNotKeptButCandidatesAre() {
        let pictures = CoverPictures(budget: 100)
        let image = RGBImage(width: 4, height: 6, fill: (1, 2, 3))   // 72 bytes
        pictures.keep(image, role: "popular", file: "a.jpg")
        pictures.keep(image, role: "other", file: "b.jpg")          // 144 bytes: over the budget
        pictures.keep(image, role: "candidates", file: "c.jpg")     // candidates are always shown
        #expect(pictures.picture(role: "popular", file: "a.jpg") == image)
        #expect(pictures.picture(role: "other", file: "b.jpg") == nil)
        #expect(pictures.picture(role: "candidates", file: "c.jpg") == image)
    }
}

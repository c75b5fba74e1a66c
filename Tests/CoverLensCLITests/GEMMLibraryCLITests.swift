import Foundation
import Testing

/// OpenBLAS is opened only by runs that ask for it (`COVERLENS_GEMM=openblas`): linked, its thread
/// pool started and spun for about a tenth of a CPU-second in every coverlens process. The dynamic
/// loader's own log (`LD_DEBUG=libs`) shows which libraries a run loaded.
@Suite("GEMM library loading")
final class GEMMLibraryCLITests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-gemm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try BadCorpus.copyExampleCovers("popular", count: 2, to: work.appendingPathComponent("covers"))
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    /// `coverlens embed` of the two covers with `environment`, the loader logging what it loads.
    func embed(_ name: String, environment: [String: String]) throws -> (outcome: CLI.Outcome, rows: [[Float]]) {
        let out = work.appendingPathComponent("\(name).csv")
        let outcome = try CLI.run(["embed", "covers", "--out", out.path, "--model", try CLI.model(), "--no-cache", "--quiet"],
                                  in: work, environment: environment.merging(["LD_DEBUG": "libs"]) { $1 })
        let lines = (try? String(contentsOf: out, encoding: .utf8))?.split(separator: "\n").dropFirst() ?? []
        let rows = lines.map { $0.split(separator: ",").compactMap { Float($0) } }
        return (outcome, rows)
    }

    @Test("a default run computes with oneDNN and never loads OpenBLAS; COVERLENS_GEMM=openblas loads it, same embeddings")
    func openBLASOnlyWhenAskedFor() throws {
        let standard = try embed("onednn", environment: [:])
        #expect(standard.outcome.status == 0, "\(standard.outcome)")
        #expect(standard.outcome.stderr.contains("libdnnl"), "the loader's log names the libraries: \(standard.outcome.stderr.prefix(2000))")
        #expect(!standard.outcome.stderr.contains("libopenblas"), "a default run loaded OpenBLAS")

        let openBLAS = try embed("openblas", environment: ["COVERLENS_GEMM": "openblas"])
        #expect(openBLAS.outcome.status == 0, "\(openBLAS.outcome)")
        #expect(openBLAS.outcome.stderr.contains("libopenblas"), "COVERLENS_GEMM=openblas did not load OpenBLAS")

        #expect(standard.rows.count == 2 && openBLAS.rows.count == 2, "two rows each: \(standard.rows.count), \(openBLAS.rows.count)")
        for (a, b) in zip(standard.rows, openBLAS.rows) {
            #expect(a.count == b.count && a.count >= 1280, "an embedding per row: \(a.count), \(b.count)")
            let largest = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            #expect(largest < 1e-3, "the two libraries' embeddings differ by \(largest)")
        }
    }
}

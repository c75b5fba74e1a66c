import CoverAnalysis
import Foundation
import Support
import Tensors

/// Top-k similarity at scale: `candidates` queries against `popular` stored embeddings of `dimension`
/// values (random unit directions; speed does not depend on the values). Prints wall time, CPU time and
/// the process's peak resident set, which includes the popular matrix (N × D × 4 bytes): it is handed
/// over with `consume` and normalised in place, so there is one copy of it, not two.
enum SimilarityBenchmark {
    static func run(popular: Int, candidates: Int, dimension: Int, k: Int) {
        var rng = SeededGenerator(seed: 1)
        var values = [Float](repeating: 0, count: popular * dimension)
        for i in values.indices { values[i] = rng.uniformFloat(-1, 1) }
        var queries = [Float](repeating: 0, count: candidates * dimension)
        for i in queries.indices { queries[i] = rng.uniformFloat(-1, 1) }
        let popularMatrix = Tensor(shape: [popular, dimension], storage: values)
        values = []
        let start = now(), cpuStart = cpuTime()
        let search = SimilaritySearch(popular: consume popularMatrix)
        let found = search.topMatches(for: Tensor(shape: [candidates, dimension], storage: queries), k: k)
        let wall = now() - start, cpu = cpuTime() - cpuStart
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024   // Linux reports kilobytes of 1,024 bytes
        print(String(format: "similarity top-%d: %d candidates × %d popular × %d-d: %.2f s wall (%.2f s CPU, normalising included), peak RSS %.0f MiB, %d results, checksum %016llx",
                     k, candidates, popular, dimension, wall, cpu, peakMiB, found.count, checksum(found)))
    }

    /// FNV-1a over every match's index and cosine bits, so two builds' results can be compared exactly.
    static func checksum(_ found: [[SimilaritySearch.Match]]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) { hash = (hash ^ value) &* 0x100_0000_01b3 }
        for matches in found {
            for match in matches { mix(UInt64(match.index)); mix(UInt64(match.cosine.bitPattern)) }
        }
        return hash
    }
}

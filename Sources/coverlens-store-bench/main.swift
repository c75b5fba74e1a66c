import CoverAnalysis
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Imaging
import Store
import Support

/// The shared store at catalogue scale: a million 1,280-d vectors (by default) written by two
/// workers, the HNSW index built over them, top-10 queries timed and their recall measured against
/// an exact scan, and 1,000 candidates scored against the collection. Prints what it measured and
/// the CPU it ran on; Benchmarks/store.sh starts a throwaway server and runs it.
///
/// The vectors are embeddings of the generated covers in `--covers` (EfficientNet-Lite0, the
/// default model), mixed in pairs with random weights and Gaussian noise, so they spread like a
/// catalogue rather than sitting on a few points.
///
/// Usage: coverlens-store-bench --store URL [--count 1000000] [--workers 2] [--covers Examples]
///                              [--queries 1000] [--recall-queries 200] [--batch 500] [--seed 18]
///                              [--ef-search 40,100,200,400]   (hnsw.ef_search values measured)
///                              [--candidates 40,100]   (rows fetched per query and re-ranked exactly)
///                              [--m 16] [--ef-construction 64]   (the HNSW index's build parameters)
///                              [--parallel-workers N]   (max_parallel_maintenance_workers for the build)
///                              [--stored]   (the vectors are in the store already: no inserts, checked by count)
///                              [--rebuild]   (drop an existing index and build it with these parameters)
///                              [--variant NAME]   (store the vectors under the fingerprint bench:…/NAME: another index over the same table)
///                              [--exact-here]   (the exact answers by brute force here, not by scans in the server)
///                              [--self-queries 200]   (stored vectors searched for themselves: are they reachable in the graph?)
struct Options {
    var store = ProcessInfo.processInfo.environment["COVERLENS_STORE"]
    var count = 1_000_000
    var workers = 2
    var covers = "Examples"
    var queries = 1000
    var recallQueries = 200
    var batch = 500
    var seed: UInt64 = 18
    var efSearch = [40, 100, 200, 400]
    var candidates: [Int] = [40]
    var index = PostgresStore.IndexParameters.defaults
    var parallelWorkers: Int?
    var stored = false
    var rebuild = false
    var selfQueries = 200
    var variant: String?
    var clientExact = false

    init(_ arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        while let flag = it.next() {
            switch flag {
            case "--stored": stored = true; continue
            case "--rebuild": rebuild = true; continue
            case "--exact-here": clientExact = true; continue
            default: break
            }
            let value = it.next() ?? ""
            switch flag {
            case "--store": store = value
            case "--count": count = Int(value) ?? count
            case "--workers": workers = max(1, Int(value) ?? workers)
            case "--covers": covers = value
            case "--queries": queries = Int(value) ?? queries
            case "--recall-queries": recallQueries = Int(value) ?? recallQueries
            case "--batch": batch = max(1, Int(value) ?? batch)
            case "--seed": seed = UInt64(value) ?? seed
            case "--ef-search": efSearch = value.split(separator: ",").compactMap { Int($0) }
            case "--candidates": candidates = value.split(separator: ",").compactMap { Int($0) }
            case "--m": index.m = Int(value) ?? index.m
            case "--ef-construction": index.efConstruction = Int(value) ?? index.efConstruction
            case "--parallel-workers": parallelWorkers = Int(value)
            case "--self-queries": selfQueries = Int(value) ?? selfQueries
            case "--variant": variant = value
            default: print("unknown option \(flag)"); exit(2)
            }
        }
    }
}

/// Normal deviates from the seeded generator (Box–Muller).
extension SeededGenerator {
    mutating func gaussian() -> Float {
        let u = max(uniformDouble(), 1e-300), v = uniformDouble()
        return Float(sqrt(-2 * log(u)) * cos(2 * Double.pi * v))
    }
}

/// Vector `i` of the synthetic catalogue: the same for the same seed, whichever worker makes it.
func syntheticVector(_ i: Int, bases: [[Float]], noise: Float, seed: UInt64) -> [Float] {
    var random = SeededGenerator(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
    let a = bases[random.uniformInt(below: bases.count)], b = bases[random.uniformInt(below: bases.count)]
    let w = Float(random.uniformDouble())
    return (0..<a.count).map { max(0, w * a[$0] + (1 - w) * b[$0] + noise * random.gaussian()) }
}

/// `count` synthetic vectors written by `workers` threads, each its own connection and shard of the
/// collection, in batches of one transaction each; prints the rate.
func insert(_ options: Options, location: StoreLocation, fingerprint: String, collection: String, bases: [[Float]], noise: Float) throws {
    let d = bases[0].count
    let insertStart = Date()
    let failures = ErrorBox()
    DispatchQueue.concurrentPerform(iterations: options.workers) { worker in
        do {
            let store = try PostgresStore(location: location)
            let shard = try Shard(index: worker, count: options.workers)
            let mine = stride(from: worker, to: options.count, by: options.workers)
            try store.beginShard(collection: collection, shard: shard, modelFingerprint: fingerprint, dimension: d,
                                 label: "bench \(d)-d", expected: mine.underestimatedCount)
            var records: [CoverRecord] = [], files: [ScannedFileKey] = []
            for i in mine {
                let hash = String(format: "bench-%09d", i)
                records.append(CoverRecord(contentHash: hash, modelFingerprint: fingerprint,
                                           embedding: syntheticVector(i, bases: bases, noise: noise, seed: options.seed)))
                files.append(ScannedFileKey(relativePath: "covers/\(i).jpg", contentHash: hash))
                if records.count == options.batch {
                    try store.save(records, files: files)
                    records.removeAll(keepingCapacity: true); files.removeAll(keepingCapacity: true)
                    if worker == 0 && (i / options.workers) % (options.batch * 40) < options.batch {
                        print("  inserted about \(i) vectors, \(Int(Double(i) / Date().timeIntervalSince(insertStart))) /s")
                    }
                }
            }
            try store.save(records, files: files)
            // Every path of the shard: finishShard drops the shard's files that this run did not see.
            try store.finishShard(modelFingerprint: fingerprint, paths: mine.map { "covers/\($0).jpg" })
        } catch {
            failures.set(error)
        }
    }
    if let error = failures.error { throw error }
    let insertSeconds = Date().timeIntervalSince(insertStart)
    print(String(format: "insert: %d vectors of %d-d with %d workers in %.1f s = %.0f vectors/s (batches of %d, one transaction each)",
                 options.count, d, options.workers, insertSeconds, Double(options.count) / insertSeconds, options.batch))
}

/// The `k` stored vectors nearest to each query, best first, with cosines computed exactly as
/// `PostgresStore.rerank` does (ties by hash): every vector of the synthetic catalogue is made again.
func bruteForce(_ queries: [[Float]], count: Int, k: Int, bases: [[Float]], noise: Float, seed: UInt64) -> [[PostgresStore.Neighbour]] {
    let threads = 2
    let norms = queries.map { q in sqrt(q.reduce(0) { $0 + Double($1) * Double($1) }) }
    let parts = (0..<threads).map { _ in PartBox() }
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        var best = [[(Double, Int)]](repeating: [], count: queries.count)
        for i in stride(from: t, to: count, by: threads) {
            let v = syntheticVector(i, bases: bases, noise: noise, seed: seed)
            var norm = 0.0
            for x in v { norm += Double(x) * Double(x) }
            for (q, query) in queries.enumerated() {
                // The same sum in the same order as rerank's, without bounds checks (10^11 terms at 10^6 vectors).
                let dot = query.withUnsafeBufferPointer { a in
                    v.withUnsafeBufferPointer { b in
                        var sum = 0.0
                        for j in 0..<b.count { sum += Double(a[j]) * Double(b[j]) }
                        return sum
                    }
                }
                best[q].append((norms[q] > 0 && norm > 0 ? dot / (norms[q] * sqrt(norm)) : 0, i))
                if best[q].count >= 8 * k {
                    best[q] = Array(best[q].sorted { $0.0 > $1.0 }.prefix(2 * k))
                }
            }
        }
        parts[t].best = best
    }
    return queries.indices.map { q in
        parts.flatMap { $0.best[q] }
            .map { PostgresStore.Neighbour(contentHash: String(format: "bench-%09d", $0.1), cosine: $0.0) }
            .sorted { ($0.cosine, $1.contentHash) > ($1.cosine, $0.contentHash) }
            .prefix(k).map { $0 }
    }
}

/// One brute-force thread's candidates.
final class PartBox: @unchecked Sendable {
    var best: [[(Double, Int)]] = []
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
}

func cpuName() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let name = info.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last
    let cores = info.split(separator: "\n").filter { $0.hasPrefix("processor") }.count
    return "\(name.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"), \(cores) cores"
}

// Line by line, so a long run shows its progress when its output goes to a file.
setvbuf(stdout, nil, _IOLBF, 0)
let options = Options(CommandLine.arguments)
guard let url = options.store else { print("give --store URL or set COVERLENS_STORE"); exit(2) }
do {
    let location = try StoreLocation(url)
    print("store benchmark on \(cpuName()); store \(location.redacted)")

    // 1. Real embeddings of generated covers: the bases of the synthetic catalogue.
    let model = try CoverModel.load(contentsOf: URL(fileURLWithPath: "Models/efficientnet-lite0.safetensors"))
    let folder = try ImageFolder(URL(fileURLWithPath: options.covers))
    let scanned = try CoverScan(model: model, store: nil).scan(folder.files, role: "bases").covers
    let bases = scanned.map(\.embedding)
    let d = bases[0].count
    let spread = bases.flatMap { $0 }.reduce(0) { $0 + Double($1) } / Double(bases.count * d)
    let noise = Float(0.25 * spread)
    print("bases: \(bases.count) embeddings of the covers in \(options.covers) (\(d)-d); noise σ = \(noise) (a quarter of the mean value)")

    // 2. Inserts: `workers` threads, each its own connection and shard of the collection.
    let fingerprint = "bench:\(model.embeddingFingerprint)" + (options.variant.map { "/\($0)" } ?? "")
    let collection = "bench-\(options.count)"
    if options.stored {
        let stored = try PostgresStore(location: location).vectorCount(modelFingerprint: fingerprint)?.count ?? 0
        guard stored == options.count else { print("--stored: the store holds \(stored) vectors of \(fingerprint), not \(options.count)"); exit(1) }
        print("insert: not measured (--stored: the \(stored) vectors are in the store already)")
    } else {
        try insert(options, location: location, fingerprint: fingerprint, collection: collection, bases: bases, noise: noise)
    }

    let store = try PostgresStore(location: location)
    let sizes = try store.relationSizes()
    print("table: coverlens_covers \(sizes.covers / 1_048_576) MiB with TOAST, coverlens_members \(sizes.members / 1_048_576) MiB")

    // 3. The HNSW index, built as `coverlens store index` builds it (memory for the whole graph).
    var build = PostgresStore.IndexBuild()
    build.parameters = options.index
    build.parallelWorkers = options.parallelWorkers
    build.rebuild = options.rebuild
    build.memoryLimit = 12 << 30
    let index = try store.buildIndex(modelFingerprint: fingerprint, build, progressInterval: 60) { progress in
        print(String(format: "  index build %.0f s: %@, %d of %d vectors", progress.seconds, progress.phase, progress.done, progress.total))
    }
    print(String(format: "HNSW index (%@): %@, %d MiB; maintenance_work_mem %d MiB for a graph estimated at %d MiB",
                 index.index.parameters.description,
                 index.created ? String(format: "built in %.1f s", index.seconds) : "already there (build time not measured)",
                 index.index.bytes / 1_048_576, index.maintenanceMemory / 1_048_576, index.estimatedGraphBytes / 1_048_576))

    // 4. Exact answers for the recall check, 50 deep for the diagnosis below: an exact scan in the
    //    server each, or (--exact client) all vectors made again here and compared with every query
    //    at once, the way `rerank` computes cosines, checked against the server's scan on 3 queries.
    var random = SeededGenerator(seed: options.seed ^ 0xC0FFEE)
    let queries = (0..<options.queries).map { _ in syntheticVector(options.count + random.uniformInt(below: 1 << 30), bases: bases,
                                                                     noise: noise, seed: options.seed) }
    let checked = min(options.recallQueries, queries.count)
    var exactTimes: [Double] = []
    var exact: [[PostgresStore.Neighbour]] = []
    for q in 0..<(options.clientExact ? min(3, checked) : checked) {
        let start = Date()
        exact.append(try store.nearest(to: queries[q], modelFingerprint: fingerprint, k: 50, candidates: 50, exact: true))
        exactTimes.append(Date().timeIntervalSince(start) * 1000)
    }
    print(String(format: "exact scan in the server, top-50: p50 %.0f ms over %d queries", percentile(exactTimes.sorted(), 0.5), exactTimes.count))
    if options.clientExact {
        let start = Date()
        let brute = bruteForce(Array(queries.prefix(checked)), count: options.count, k: 50, bases: bases, noise: noise, seed: options.seed)
        let agree = (0..<exact.count).allSatisfy { brute[$0].prefix(10).map(\.contentHash) == exact[$0].prefix(10).map(\.contentHash) }
        print(String(format: "exact top-50 of %d queries by brute force here in %.1f s; the top-10 of the first %d equal the server's exact scan: %@",
                     checked, Date().timeIntervalSince(start), exact.count, agree ? "yes" : "NO"))
        guard agree else { exit(1) }
        exact = brute
    }
    // Near-ties: how often the 10th and 11th exact neighbours are closer than 1e-6 in cosine (then
    // either is a right answer, and recall counts one of them as missed).
    let ties = exact.filter { $0.count > 10 && $0[9].cosine - $0[10].cosine < 1e-6 }.count
    print("near-ties at rank 10 (cosine gap < 1e-6): \(ties) of \(checked) queries")

    // 5. Reachability: stored vectors searched for themselves at the deepest search. HNSW's
    //    neighbour pruning can leave a vector with no edge pointing to it; no ef_search finds it
    //    then, so recall stops rising with ef_search at about 1 − this share.
    var unreachable = 0
    for j in 0..<options.selfQueries {
        let i = Int((UInt64(j) &* 0x9E37_79B9_7F4A_7C15) % UInt64(options.count))
        let vector = syntheticVector(i, bases: bases, noise: noise, seed: options.seed)
        let found = try store.nearest(to: vector, modelFingerprint: fingerprint, k: 1, candidates: 40, efSearch: 1000)
        if found.first?.contentHash != String(format: "bench-%09d", i) { unreachable += 1 }
    }
    if options.selfQueries > 0 {
        print(String(format: "self-search at ef_search 1000: %d of %d stored vectors not found as their own nearest (%.2f%%)",
                     unreachable, options.selfQueries, 100 * Double(unreachable) / Double(options.selfQueries)))
    }

    // 6. The queries (top-10 each), timed one by one, at each ef_search and number of rows fetched
    //    and re-ranked exactly; recall against the exact top-10, with where the misses were.
    for fetched in options.candidates {
        for ef in options.efSearch {
            var latencies: [Double] = []
            var found = 0, returned = 0, short = 0, missedQueries = 0
            var missedRanks = [Int](repeating: 0, count: 10)
            var missedGaps: [Double] = []
            let queryStart = Date()
            for (q, query) in queries.enumerated() {
                let start = Date()
                let all = try store.nearest(to: query, modelFingerprint: fingerprint, k: fetched, candidates: fetched, efSearch: ef)
                latencies.append(Date().timeIntervalSince(start) * 1000)
                guard q < checked else { continue }
                returned += all.count
                if all.count < fetched { short += 1 }
                let answer = Set(all.prefix(10).map(\.contentHash))
                let truth = exact[q].prefix(10)
                found += truth.filter { answer.contains($0.contentHash) }.count
                var missed = false
                for (rank, neighbour) in truth.enumerated() where !answer.contains(neighbour.contentHash) {
                    missed = true
                    missedRanks[rank] += 1
                    // How much nearer the missed neighbour is than the 10th the search returned.
                    if all.count >= 10 { missedGaps.append(neighbour.cosine - all[9].cosine) }
                }
                if missed { missedQueries += 1 }
            }
            let querySeconds = Date().timeIntervalSince(queryStart)
            let sorted = latencies.sorted()
            print(String(format: "HNSW top-10, ef_search %d, %d candidates re-ranked exactly: p50 %.2f ms, p99 %.2f ms; %d queries in %.1f s; recall@10 %.4f over %d queries",
                         PostgresStore.efSearch(ef, fetch: fetched), fetched, percentile(sorted, 0.5), percentile(sorted, 0.99), queries.count, querySeconds,
                         Double(found) / Double(checked * 10), checked))
            let gaps = missedGaps.sorted()
            print(String(format: "  rows returned per query %.1f (fewer than %d in %d queries); %d queries missed a neighbour; misses by exact rank 1–10: %@; cosine gap of a miss over the 10th returned: median %.2e, max %.2e",
                         Double(returned) / Double(max(1, checked)), fetched, short, missedQueries,
                         missedRanks.map(String.init).joined(separator: " "),
                         gaps.isEmpty ? 0 : gaps[gaps.count / 2], gaps.last ?? 0))
        }
    }
    // 7. The candidates scored against the collection as `score --popular collection:NAME` searches
    //    it: nearest's defaults, the collection's members filtered after the index scan.
    if options.variant == nil {
        var latencies: [Double] = []
        var found = 0
        for (q, query) in queries.enumerated() {
            let start = Date()
            let answer = try store.nearest(to: query, modelFingerprint: fingerprint, k: 10, collection: collection)
            latencies.append(Date().timeIntervalSince(start) * 1000)
            if q < checked { found += Set(exact[q].prefix(10).map(\.contentHash)).intersection(answer.map(\.contentHash)).count }
        }
        let sorted = latencies.sorted()
        print(String(format: "against collection %@ (nearest's defaults: ef_search %d, %d candidates): p50 %.2f ms, p99 %.2f ms over %d queries; recall@10 %.4f over %d",
                     collection, PostgresStore.efSearch(PostgresStore.defaultEfSearch, fetch: PostgresStore.defaultCandidates(10)),
                     PostgresStore.defaultCandidates(10), percentile(sorted, 0.5), percentile(sorted, 0.99), queries.count,
                     Double(found) / Double(max(1, checked) * 10), checked))
    }
} catch {
    print("error: \(error)")
    exit(1)
}

/// The first error from the insert workers.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?
    func set(_ error: Error) { lock.withLock { if self.error == nil { self.error = error } } }
}

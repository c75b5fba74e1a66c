import CoverAnalysis
import Foundation
import Imaging
import Networks
import Tensors

/// The edited-copy benchmark (issue 14): how well the copy detector finds edited copies of
/// generated covers and how often it flags a distinct cover.
///
/// The covers of one `coverlens synth` set (popular/ and other/, interleaved) are split in two
/// folds by position. Each fold in turn is the catalogue (the "popular set" the detector calibrates
/// on) and the other fold's covers are distinct candidates searched against it, so every distinct
/// candidate is checked against a catalogue it is not part of. `edited` covers of each fold are
/// edited every `CoverEdit` way and searched against their own fold.
enum CopyBenchmark {
    static func jobs(covers: [URL], edited: Int) -> [CopyMapCache.Job] {
        var jobs: [CopyMapCache.Job] = []
        for index in originals(count: covers.count, edited: edited) {
            for edit in CoverEdit.allCases { jobs.append(.init(name: "\(index)|\(edit.rawValue)", file: covers[index], edit: edit)) }
        }
        return jobs + covers.enumerated().map { .init(name: "\($0.offset)", file: $0.element, edit: nil) }
    }

    /// The covers that are edited: the first `edited` of each fold (fold = index parity).
    static func originals(count: Int, edited: Int) -> [Int] {
        (0..<min(edited, count / 2)).flatMap { [2 * $0, 2 * $0 + 1] }
    }

    /// The photo edit's seed, from the job name, so a cover's photo is the same in every run.
    static func photoSeed(_ name: String) -> UInt64 {
        name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func run(set: URL, edited: Int, model url: URL, cache: URL, compute: ComputeContext) throws {
        let model = try CoverModel.load(contentsOf: url)
        var covers: [URL] = []
        let popular = try ImageFolder(set.appendingPathComponent("popular")).files.map(\.url)
        let other = try ImageFolder(set.appendingPathComponent("other")).files.map(\.url)
        for i in 0..<max(popular.count, other.count) {
            if i < popular.count { covers.append(popular[i]) }
            if i < other.count { covers.append(other[i]) }
        }
        let jobs = jobs(covers: covers, edited: edited)
        print("\(covers.count) covers, \(originals(count: covers.count, edited: edited).count) edited \(CoverEdit.allCases.count) ways: \(jobs.count) forward passes (cached in \(cache.path))")
        let maps = try CopyMapCache.fill(jobs, model: model, at: cache, compute: compute)
        try evaluate(maps: maps, jobs: jobs, coverCount: covers.count, edited: edited, compute: compute)
    }

    /// Descriptors from the cached maps, then per fold: calibrate on the catalogue, search the other
    /// fold's covers (false alarms) and this fold's edited copies (recall@1, flagged).
    static func evaluate(maps cache: CopyMapCache, jobs: [CopyMapCache.Job], coverCount: Int, edited: Int,
                         compute: ComputeContext) throws {
        let raw = try cache.load(count: jobs.count)
        let c = 1280, hw = cache.mapCount / c, side = Int(Double(hw).squareRoot())
        let start = cpuTime()
        var descriptors = [Float]()
        descriptors.reserveCapacity(jobs.count * c)
        for b in stride(from: 0, to: jobs.count, by: 256) {
            let n = min(256, jobs.count - b)
            let maps = Tensor(shape: [n, c, side, side], storage: Array(raw[b * cache.mapCount ..< (b + n) * cache.mapCount]))
            descriptors += CopyDescriptor.describe(maps).storage
        }
        let describeCost = (cpuTime() - start) / Double(jobs.count) * 1000
        func rows(_ indices: [Int]) -> Tensor {
            Tensor(shape: [indices.count, c], storage: indices.flatMap { descriptors[$0 * c ..< ($0 + 1) * c] })
        }
        let jobIndex = Dictionary(uniqueKeysWithValues: jobs.enumerated().map { ($0.element.name, $0.offset) })
        var distinct = 0, falseAlarms = 0
        var perEdit: [CoverEdit: (n: Int, top: Int, flagged: Int, similarities: [Double])] = [:]
        for fold in 0..<2 {
            let catalogue = (0..<coverCount).filter { $0 % 2 == fold }
            let queries = (0..<coverCount).filter { $0 % 2 != fold }
            let detector = CopyDetector(popular: rows(catalogue.map { jobIndex["\($0)"]! }), compute: compute)
            let cal = detector.calibration
            print(String(format: "fold %d: catalogue %d covers, calibration %@: similarity ≥ %.4f and margin ≥ %.4f (median nearest %.4f)",
                         fold, catalogue.count, cal.source.rawValue, cal.threshold, cal.marginThreshold, cal.medianNearest ?? .nan))
            let found = detector.judge(rows(queries.map { jobIndex["\($0)"]! }))
            distinct += found.count
            falseAlarms += found.filter(\.isCopy).count
            let position = Dictionary(uniqueKeysWithValues: catalogue.enumerated().map { ($0.element, $0.offset) })
            let originals = originals(count: coverCount, edited: edited).filter { $0 % 2 == fold }
            for edit in CoverEdit.allCases {
                let evidence = detector.judge(rows(originals.map { jobIndex["\($0)|\(edit.rawValue)"]! }))
                var entry = perEdit[edit] ?? (0, 0, 0, [])
                for (original, e) in zip(originals, evidence) {
                    let right = e.popularIndex == position[original]
                    entry.n += 1
                    entry.top += right ? 1 : 0
                    entry.flagged += right && e.isCopy ? 1 : 0
                    entry.similarities.append(e.similarity)
                }
                perEdit[edit] = entry
            }
        }
        print("")
        print("| edit | copies | original ranked first (recall@1) | flagged as a copy of it | median similarity |")
        print("|---|---|---|---|---|")
        for edit in CoverEdit.allCases {
            guard let e = perEdit[edit] else { continue }
            let median = e.similarities.sorted()[e.similarities.count / 2]
            print(String(format: "| %@ | %d | %.3f | %.1f %% | %.3f |", edit.rawValue, e.n, Double(e.top) / Double(e.n),
                         100 * Double(e.flagged) / Double(e.n), median))
        }
        print(String(format: "| distinct covers (false alarms) | %d | — | %d = %.2f per 1,000 | — |", distinct, falseAlarms,
                     1000 * Double(falseAlarms) / Double(distinct)))
        print(String(format: "\ndescriptor from a cached map: %.3f ms CPU per image (the forward pass is shared with the embedding)", describeCost))
    }
}

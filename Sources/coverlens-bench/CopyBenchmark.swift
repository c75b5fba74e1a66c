import CoverAnalysis
import Foundation
import Imaging
import Support
import Tensors

/// The edited-copy benchmark (issue 14): how well the copy detector finds edited copies of
/// generated covers and how often it flags a distinct cover.
///
/// The covers of one `coverlens synth` set (popular/ and other/, interleaved) are split in two
/// folds by position. Each fold in turn is the catalogue (the "popular set" the detector calibrates
/// on) and the other fold's covers are distinct candidates searched against it, so every distinct
/// candidate is checked against a catalogue it is not part of. `edited` covers of each fold are
/// edited every `CoverEdit` way and searched against their own fold (copies: recall@1 and share
/// flagged) and against the other fold (edited and photographed covers that are copies of nothing
/// there: false alarms).
enum CopyBenchmark {
    struct Job { var name: String; var file: URL; var edit: CoverEdit? }

    static func jobs(covers: [URL], edited: Int) -> [Job] {
        var jobs: [Job] = []
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

    static func run(set: URL, edited: Int, compute: ComputeContext) throws {
        var covers: [URL] = []
        let popular = try ImageFolder(set.appendingPathComponent("popular")).files.map(\.url)
        let other = try ImageFolder(set.appendingPathComponent("other")).files.map(\.url)
        for i in 0..<max(popular.count, other.count) {
            if i < popular.count { covers.append(popular[i]) }
            if i < other.count { covers.append(other[i]) }
        }
        let jobs = jobs(covers: covers, edited: edited)
        print("\(covers.count) covers, \(originals(count: covers.count, edited: edited).count) edited \(CoverEdit.allCases.count) ways: \(jobs.count) images described")
        let (descriptors, cost) = describe(jobs, compute: compute)
        try evaluate(descriptors: descriptors, jobs: jobs, coverCount: covers.count, edited: edited, compute: compute)
        print(String(format: "\ndescriptor (decode and edit excluded): %.2f ms CPU per image", cost))
    }

    /// Every job's image decoded, edited and described (`BandDescriptor`), [jobs, length]; and the
    /// CPU milliseconds per image of the description alone (measured on the first 100 covers, one thread).
    static func describe(_ jobs: [Job], compute: ComputeContext) -> (Tensor, Double) {
        let length = BandDescriptor.length
        var out = [Float](repeating: 0, count: jobs.count * length)
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelFor(jobs.count, workers: compute.workers) { i in
                let image = try! ImageDecoder.decode(contentsOf: jobs[i].file).image
                let edited = try! jobs[i].edit?.apply(to: image, seed: photoSeed(jobs[i].name)) ?? image
                let descriptor = BandDescriptor.describe(edited)
                for j in 0..<length { base[i * length + j] = descriptor[j] }
            }
        }
        let sample = jobs.filter { $0.edit == nil }.prefix(100).map { try! ImageDecoder.decode(contentsOf: $0.file).image }
        let start = cpuTime()
        for image in sample { _ = BandDescriptor.describe(image) }
        let cost = (cpuTime() - start) / Double(max(1, sample.count)) * 1000
        return (Tensor(shape: [jobs.count, length], storage: out), cost)
    }

    /// Per fold: calibrate on the catalogue, search the other fold's covers (false alarms) and this
    /// fold's edited copies (recall@1, flagged).
    static func evaluate(descriptors: Tensor, jobs: [Job], coverCount: Int, edited: Int, compute: ComputeContext) throws {
        let c = BandDescriptor.length
        func rows(_ indices: [Int]) -> Tensor {
            Tensor(shape: [indices.count, c], storage: indices.flatMap { descriptors.storage[$0 * c ..< ($0 + 1) * c] })
        }
        let jobIndex = Dictionary(uniqueKeysWithValues: jobs.enumerated().map { ($0.element.name, $0.offset) })
        var distinct = 0, falseAlarms = 0
        var distinctBest: [Double] = []
        var distinctPhotos = (n: 0, flagged: 0), distinctEdited = (n: 0, flagged: 0)
        var perEdit: [CoverEdit: (n: Int, top: Int, flagged: Int, similarities: [Double])] = [:]
        for fold in 0..<2 {
            let catalogue = (0..<coverCount).filter { $0 % 2 == fold }
            let queries = (0..<coverCount).filter { $0 % 2 != fold }
            let detector = CopyDetector(popular: rows(catalogue.map { jobIndex["\($0)"]! }), compute: compute)
            let cal = detector.calibration
            print(String(format: "fold %d: catalogue %d covers, calibration %@: similarity ≥ %.3f and the next cover ≥ %.2f times as far (median nearest %.4f)",
                         fold, catalogue.count, cal.source.rawValue, cal.threshold, cal.marginThreshold, cal.medianNearest ?? .nan))
            let found = detector.judge(rows(queries.map { jobIndex["\($0)"]! }))
            distinct += found.count
            falseAlarms += found.filter(\.isCopy).count
            distinctBest += found.map(\.similarity)
            let position = Dictionary(uniqueKeysWithValues: catalogue.enumerated().map { ($0.element, $0.offset) })
            let originals = originals(count: coverCount, edited: edited).filter { $0 % 2 == fold }
            // The other fold's edited covers are distinct from this catalogue too: edited, and
            // photographed, covers that are not copies of anything in it.
            let strangers = Self.originals(count: coverCount, edited: edited).filter { $0 % 2 != fold }
            for edit in CoverEdit.allCases {
                let evidence = detector.judge(rows(strangers.map { jobIndex["\($0)|\(edit.rawValue)"]! }))
                let flagged = evidence.filter(\.isCopy).count
                if edit == .photo { distinctPhotos.n += evidence.count; distinctPhotos.flagged += flagged }
                else { distinctEdited.n += evidence.count; distinctEdited.flagged += flagged }
            }
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
        print(String(format: "| distinct covers edited the other seven ways (false alarms) | %d | — | %d = %.2f per 1,000 | — |",
                     distinctEdited.n, distinctEdited.flagged, 1000 * Double(distinctEdited.flagged) / Double(max(1, distinctEdited.n))))
        print(String(format: "| photos of distinct covers (false alarms) | %d | — | %d = %.2f per 1,000 | — |",
                     distinctPhotos.n, distinctPhotos.flagged, 1000 * Double(distinctPhotos.flagged) / Double(max(1, distinctPhotos.n))))
        let sorted = distinctBest.sorted()
        print(String(format: "\ndistinct covers' best similarity: median %.3f, 99.9th percentile %.3f, max %.3f",
                     sorted[sorted.count / 2], sorted[Int(0.999 * Double(sorted.count - 1))], sorted.last ?? .nan))
    }
}

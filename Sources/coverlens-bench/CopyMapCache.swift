import CoverAnalysis
import Foundation
import Imaging
import Networks
import Support
import Tensors

/// The copy benchmark's cache: each image's last feature map (Float32, `[C, h, w]`), appended to one
/// file in a fixed job order, with the job names in a text file beside it. A run resumes where the
/// last one stopped, so the expensive part (one forward pass per image) is paid once, and descriptor
/// recipes can be compared on the same maps.
struct CopyMapCache {
    struct Job { var name: String; var file: URL; var edit: CoverEdit? }

    let url: URL
    let mapCount: Int   // floats per map

    /// Computes the maps of `jobs` not yet in the cache; prints progress every batch.
    static func fill(_ jobs: [Job], model: CoverModel, at url: URL, compute: ComputeContext) throws -> CopyMapCache {
        let names = url.appendingPathExtension("names")
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) { _ = fm.createFile(atPath: url.path, contents: nil) }
        if !fm.fileExists(atPath: names.path) { _ = fm.createFile(atPath: names.path, contents: nil) }
        let done = try String(contentsOf: names, encoding: .utf8).split(separator: "\n").map(String.init)
        for (i, name) in done.enumerated() where i < jobs.count && jobs[i].name != name {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path, "reason": "job \(i) is \(name), expected \(jobs[i].name)"])
        }
        let size = model.preprocessing.size
        var mapCount = 0
        if !done.isEmpty {
            let bytes = (try fm.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            mapCount = bytes / 4 / done.count
        }
        let data = try FileHandle(forWritingTo: url), list = try FileHandle(forWritingTo: names)
        try data.seek(toOffset: UInt64(done.count * mapCount * 4))
        try list.seekToEnd()
        let start = now()
        var computed = 0
        for b in stride(from: done.count, to: jobs.count, by: 32) {
            let chunk = Array(jobs[b..<min(b + 32, jobs.count)])
            let inputs = UnsafeMutableBufferPointer<Tensor>.allocate(capacity: chunk.count)
            parallelFor(chunk.count, workers: compute.workers) { i in
                let image = try! ImageDecoder.decode(contentsOf: chunk[i].file).image
                let edited = try! chunk[i].edit?.apply(to: image, seed: CopyBenchmark.photoSeed(chunk[i].name)) ?? image
                (inputs.baseAddress! + i).initialize(to: model.preprocessing.tensor(for: edited).reshaped([1, 3, size, size]))
            }
            let maps = model.backbone.featureMaps(Tensor.concatenate(batch: Array(inputs)), compute: compute)
            _ = inputs.deinitialize()
            inputs.deallocate()
            mapCount = maps.count / chunk.count
            maps.storage.withUnsafeBytes { data.write(Data($0)) }
            list.write(Data(chunk.map { $0.name + "\n" }.joined().utf8))
            computed += chunk.count
            print(String(format: "maps %d/%d (%.1f img/s)", b + chunk.count, jobs.count, Double(computed) / (now() - start)))
            fflush(stdout)
        }
        try data.close()
        try list.close()
        return CopyMapCache(url: url, mapCount: mapCount)
    }

    /// Every cached map, in job order: [count, C·h·w].
    func load(count: Int) throws -> [Float] {
        let data = try Data(contentsOf: url)
        precondition(data.count >= count * mapCount * 4, "cache holds fewer maps than jobs")
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self).prefix(count * mapCount)) }
    }
}

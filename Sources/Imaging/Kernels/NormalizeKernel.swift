import Support

/// Interleaved RGB bytes → planar normalised floats (HWC → CHW), for one image or a whole batch.
enum NormalizeKernel {
    /// `pixels` [H, W, 3] → [3, H, W] through `lookup` [3 * 256].
    static func planar(_ pixels: [UInt8], lookup: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: pixels.count)
        out.withUnsafeMutableBufferPointer { dst in
            write(pixels, lookup: lookup, into: dst.baseAddress!)
        }
        return out
    }

    /// `count` images, each produced by `image(i)` with `planeSize = H * W` pixels, normalised into
    /// one [N, 3, H, W] buffer. Images are prepared in parallel (one image per task: decoding-sized
    /// work that shares nothing) on `workers` threads, each writing its own slice of the buffer.
    static func batch(count: Int, planeSize: Int, lookup: [Float], workers: Int, image: (Int) -> [UInt8]) -> [Float] {
        var out = [Float](repeating: 0, count: count * 3 * planeSize)
        out.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            parallelFor(count, workers: workers) { i in
                let pixels = image(i)
                guard pixels.count == planeSize * 3 else { return }
                write(pixels, lookup: lookup, into: base + i * 3 * planeSize)
            }
        }
        return out
    }

    private static func write(_ pixels: [UInt8], lookup: [Float], into dst: UnsafeMutablePointer<Float>) {
        let plane = pixels.count / 3
        pixels.withUnsafeBufferPointer { src in
            lookup.withUnsafeBufferPointer { table in
                let s = src.baseAddress!, t = table.baseAddress!
                for c in 0..<3 {
                    let channelTable = t + c * 256
                    let channelOut = dst + c * plane
                    for i in 0..<plane { channelOut[i] = channelTable[Int(s[i * 3 + c])] }
                }
            }
        }
    }
}

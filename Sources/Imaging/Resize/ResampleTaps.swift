import Foundation

/// The fixed-point filter taps of PIL's antialiased bilinear resize along one axis, `inSize → outSize`.
///
/// Output index `i` reads input indices `first[i] ..< first[i] + count[i]` with the weights
/// `weights[i * stride ..< i * stride + count[i]]`. The computation follows Pillow's
/// `precompute_coeffs` / `normalize_coeffs_8bpc` (`libImaging/Resample.c`) operation by operation,
/// in double precision, because the last bit matters: a weight that rounds differently to fixed
/// point moves some output pixel by one grey level, and the reference tensors were made by PIL.
///
/// - `scale = in / out`, `filterscale = max(scale, 1)`: when shrinking, the triangle is widened
///   to cover `scale` input pixels (that is the antialiasing); when enlarging it stays 1 wide.
/// - `center = (i + 0.5) * scale`, taps from `int(center - support + 0.5)` (≥ 0) to
///   `int(center + support + 0.5)` (≤ in), weight `tri((j - center + 0.5) * (1 / filterscale))`,
///   normalised to sum 1, then `int(w * 2^22 + 0.5)`.
struct ResampleTaps: Sendable {
    /// PIL's `PRECISION_BITS = 32 - 8 - 2`: 8 bits of pixel, 2 bits of headroom in an Int32 sum.
    static let precisionBits = 22

    let inSize: Int
    let outSize: Int
    /// Distance between the weight rows of consecutive outputs (PIL's `ksize`).
    let stride: Int
    /// [outSize] first input index of each output.
    let first: [Int]
    /// [outSize] number of taps of each output.
    let count: [Int]
    /// [outSize * stride] fixed-point weights (unused slots are 0).
    let weights: [Int32]

    init(inSize: Int, outSize: Int) {
        self.inSize = inSize
        self.outSize = outSize
        let scale = Double(inSize) / Double(outSize)
        let filterscale = max(scale, 1.0)
        let support = 1.0 * filterscale            // the triangle filter's support is 1
        let stride = Int(support.rounded(.up)) * 2 + 1
        let ss = 1.0 / filterscale
        var first = [Int](repeating: 0, count: outSize)
        var count = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * stride)
        var k = [Double](repeating: 0, count: stride)
        let one = Double(1 << Self.precisionBits)
        for i in 0..<outSize {
            let center = (Double(i) + 0.5) * scale
            let xmin = max(Int(center - support + 0.5), 0)       // Int(_:) truncates like C's (int)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var sum = 0.0
            for x in 0..<max(xmax, 0) {
                let w = Self.triangle((Double(x + xmin) - center + 0.5) * ss)
                k[x] = w
                sum += w
            }
            for x in 0..<max(xmax, 0) {
                let w = sum != 0 ? k[x] / sum : k[x]
                weights[i * stride + x] = Int32(w < 0 ? -0.5 + w * one : 0.5 + w * one)
            }
            first[i] = xmin
            count[i] = max(xmax, 0)
        }
        self.stride = stride
        self.first = first
        self.count = count
        self.weights = weights
    }

    /// PIL's `bilinear_filter`: the triangle `max(0, 1 - |x|)`.
    private static func triangle(_ x: Double) -> Double {
        let a = abs(x)
        return a < 1 ? 1 - a : 0
    }

    /// Input indices read by the outputs `outputs` (PIL's `ybox_first ..< ybox_last`).
    func inputSpan(of outputs: Range<Int>) -> Range<Int> {
        guard let lo = outputs.first, let hi = outputs.last else { return 0..<0 }
        return first[lo] ..< first[hi] + count[hi]
    }

    // MARK: - Cache

    /// Batches resize many images between the same few sizes (every 224×224 cover, every 600×900
    /// scan), so taps are computed once per `(in, out)` pair and shared across threads.
    static func cached(inSize: Int, outSize: Int) -> ResampleTaps {
        let key = SizePair(inSize: inSize, outSize: outSize)
        cacheLock.lock()
        if let taps = cache[key] {
            cacheLock.unlock()
            return taps
        }
        cacheLock.unlock()
        let taps = ResampleTaps(inSize: inSize, outSize: outSize)
        cacheLock.lock()
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = taps
        cacheLock.unlock()
        return taps
    }

    private struct SizePair: Hashable { let inSize: Int; let outSize: Int }
    /// Plenty for the sizes of one folder; clearing when full keeps a pathological folder of
    /// all-different sizes from growing the cache without bound.
    private static let cacheLimit = 256
    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [SizePair: ResampleTaps] = [:]
}

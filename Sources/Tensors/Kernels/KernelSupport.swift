/// Small pieces every kernel uses: uninitialised outputs, per-worker chunks, unaligned SIMD access,
/// and the fused "bias + residual + clamp" epilogue that follows each matrix product.

#if canImport(Glibc)
import Glibc
import Support
#endif

extension Tensor {
    /// A tensor whose values the caller overwrites completely; skips the zero fill that
    /// `init(shape:repeating:)` would spend a pass over memory on.
    static func uninitialized(shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: largeStorage(count: shape.reduce(1, *), fill: nil))
    }
}

/// `count` Floats, filled with `fill` (or left for the caller to overwrite). Large buffers ask the
/// kernel for transparent huge pages first: a training step allocates its activations afresh
/// (glibc maps every buffer over 32 MB from the kernel and unmaps it on release), and faulting in
/// hundreds of MB as 4 KB pages cost ~15% of a full EfficientNet-Lite0 fine-tuning step in page
/// faults and page clearing. A no-op where THP is off or the call fails.
func largeStorage(count: Int, fill: Float?) -> [Float] {
    // An empty array is the shared empty singleton: `unsafeUninitializedCapacity: 0` would still
    // write its count there, from every thread that makes an empty tensor (ThreadSanitizer sees it).
    guard count > 0 else { return [] }
    if count >= 1 << 20 { _ = keepFreedBuffers }
    return [Float](unsafeUninitializedCapacity: count) { buffer, n in
        if count >= 1 << 20, let base = buffer.baseAddress { adviseHugePages(base, bytes: count * 4) }
        if let fill, let base = buffer.baseAddress { base.initialize(repeating: fill, count: count) }
        n = count
    }
}

/// Set once, before the first large tensor: glibc serves every allocation from its heap instead of
/// fresh `mmap`s (M_MMAP_MAX 0) and keeps freed memory (M_TRIM_THRESHOLD 2 GB) for the next step's
/// activations. Each mmap'd buffer was cleared page by page by the kernel on first touch and unmapped
/// on release: with huge pages still 27% of a full fine-tuning step in `clear_page`. Cost: the
/// resident set stays at its high-water mark instead of shrinking between steps.
private let keepFreedBuffers: Void = {
    #if os(Linux)
    // <malloc.h> is not in Swift's Glibc module: look mallopt up in the process (RTLD_DEFAULT).
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    _ = mallopt(-4, 0)              // M_MMAP_MAX
    _ = mallopt(-1, Int32.max)      // M_TRIM_THRESHOLD: keep up to 2 GB of free heap top
    #endif
}()

/// `madvise(MADV_HUGEPAGE)` on the whole pages inside `[start, start + bytes)`, before first touch.
private func adviseHugePages(_ start: UnsafeMutablePointer<Float>, bytes: Int) {
    #if os(Linux)
    let page = 4096
    let first = (Int(bitPattern: start) + page - 1) / page * page
    let end = (Int(bitPattern: start) + bytes) / page * page
    guard end > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
    _ = madvise(p, end - first, 14)   // MADV_HUGEPAGE
    #endif
}

/// Splits `0..<count` into at most `workers` contiguous ranges and runs them in parallel, so a
/// kernel can allocate its scratch buffer once per range instead of once per item.
@inline(__always)
func parallelChunks(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = min(max(1, workers), count)
    parallelFor(chunks, workers: chunks) { chunk in
        body(chunk * count / chunks ..< (chunk + 1) * count / chunks)
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// `min(max(v, lo), hi)` lane by lane. Written as a lane loop because LLVM turns it into two vector
/// instructions, while the standard library's generic `clamped(lowerBound:upperBound:)` compiles to
/// an out-of-line call per vector (a quarter of EfficientNet's run time when it was used).
@inline(__always)
func clamp8(_ v: SIMD8<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>) -> SIMD8<Float> {
    var r = v
    for i in 0..<8 { r[i] = Swift.min(Swift.max(v[i], lo[i]), hi[i]) }
    return r
}

/// The activation range a fused kernel clamps to: `(-∞, ∞)` none, `[0, ∞)` ReLU, `[0, 6]` ReLU6.
public struct ClampRange: Equatable, Sendable {
    public var lower: Float
    public var upper: Float
    public init(lower: Float, upper: Float) {
        self.lower = lower
        self.upper = upper
    }
    public static let none = ClampRange(lower: -.infinity, upper: .infinity)
}

/// The GEMM's epilogue on one tile, right after its GEMM (beta = 0) while the tile is still in cache:
/// `c[r, j] = clamp(c[r, j] + bias[r] + residual[r, j])`, rows `ldc` apart. Folded BatchNorm (as a
/// bias), the residual connection and the activation cost one pass together.
@inline(__always)
func epilogueTile(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, width: Int,
                  bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, clamp: ClampRange) {
    let lo = SIMD8<Float>(repeating: clamp.lower), hi = SIMD8<Float>(repeating: clamp.upper)
    for r in 0..<rows {
        let p = c + r * ldc
        let bv = SIMD8<Float>(repeating: bias[r])
        var j = 0
        if let residual {
            let q = residual + r * ldc
            while j + 8 <= width {
                store8(clamp8(load8(p + j) + bv + load8(q + j), lo, hi), p + j)
                j += 8
            }
            while j < width {
                p[j] = min(max(p[j] + bias[r] + q[j], clamp.lower), clamp.upper)
                j += 1
            }
        } else {
            while j + 8 <= width {
                store8(clamp8(load8(p + j) + bv, lo, hi), p + j)
                j += 8
            }
            while j < width {
                p[j] = min(max(p[j] + bias[r], clamp.lower), clamp.upper)
                j += 1
            }
        }
    }
}


import CDepthwise

/// Eight (or sixteen) channels of a depthwise convolution at once, a pixel's channels in one vector
/// (`cl_depthwise_forward8` in the C target `CDepthwise`, which says why): eight in an AVX2 vector,
/// sixteen in an AVX-512 one on the avx512 kernel path (`cl_depthwise_forward16`, the same bits).
///
/// The scratch is the block's zero-padded input, pixel-major, `paddedHeight × paddedWidth × width`
/// floats: wide and high enough for every tap of every computed output, including the up to seven
/// pixels past a row's end that the last group of eight pixels of a row computes and drops.
struct DepthwiseChannelBlocks {
    /// Channels per block: the lanes of a vector of floats, 8 (AVX2) or 16 (AVX-512).
    let width: Int
    /// The largest kernel side the C kernel holds the taps of.
    static let largestKernel = 7

    let g: ConvolutionGeometry
    let paddedHeight: Int
    let paddedWidth: Int

    /// Nil for geometries the C kernels do not take: non-square kernels and sides above 7.
    /// `width` is 8, or 16 where the CPU has AVX-512 (`width(for:channels:)` chooses).
    init?(_ g: ConvolutionGeometry, width: Int = 8) {
        guard g.kernelHeight == g.kernelWidth, g.kernelHeight <= Self.largestKernel, g.stride >= 1 else { return nil }
        precondition(width == 8 || (width == 16 && KernelPath.cpuHasAVX512), "no \(width)-channel depthwise kernel on this CPU")
        self.width = width
        self.g = g
        let (k, s) = (g.kernelHeight, g.stride)
        paddedHeight = max(g.padTop + g.inputHeight, (g.outputHeight - 1) * s + k)
        let computedWidth = (g.outputWidth + 7) / 8 * 8   // a row's outputs, eight at a time
        paddedWidth = max(g.padLeft + g.inputWidth, (computedWidth - 1) * s + k)
    }

    /// The block width for `channels` channels on `compute`'s kernel path: sixteen on the avx512
    /// path when they make whole blocks of sixteen (every depthwise layer of EfficientNet-Lite0),
    /// else eight, so no channel that a vector could take is left to the plane kernel.
    static func width(for compute: ComputeContext, channels: Int) -> Int {
        compute.depthwiseLanes == 16 && channels % 16 == 0 ? 16 : 8
    }

    /// How `channels` channels split between the two kernels: whole blocks of `width` for this one
    /// (none when `blocks` is nil), one plane each for the rest. Item `i` of a split is channels
    /// `width·i ..< width·(i + 1)` for `i < blockCount`, else the one channel
    /// `width·blockCount + i − blockCount`.
    struct ChannelSplit {
        let width: Int
        let blockCount: Int
        let items: Int

        init(channels: Int, blocks: DepthwiseChannelBlocks?) {
            width = blocks?.width ?? 8
            blockCount = blocks == nil ? 0 : channels / width
            items = blockCount + channels - blockCount * width
        }

        /// The channels of item `item`: a block's `width`, or one for a leftover.
        func channels(of item: Int) -> Range<Int> {
            if item < blockCount { return item * width ..< (item + 1) * width }
            let channel = blockCount * width + item - blockCount
            return channel ..< channel + 1
        }
    }

    /// A zeroed, 64-byte-aligned scratch for this geometry; the caller deallocates it.
    func allocateScratch() -> UnsafeMutablePointer<Float> {
        let count = paddedHeight * paddedWidth * width
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: count)
    }

    /// Channels `0..<width` from `x` (planes `H·W` apart) into `output` (planes `Ho·Wo` apart).
    func compute(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 clamp: ClampRange, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let forward = width == 16 ? cl_depthwise_forward16 : cl_depthwise_forward8
        forward(x, g.inputHeight * g.inputWidth, g.inputHeight, g.inputWidth,
                weights, bias, g.kernelHeight, g.stride, g.padTop, g.padLeft,
                output, g.outputHeight, g.outputWidth, clamp.lower, clamp.upper,
                scratch, paddedWidth)
    }

    /// Floats of the pixel-major output gradient `filterGradient` needs beside the scratch.
    var gradientScratchCount: Int { g.outputHeight * g.outputWidth * width }

    /// Adds one image's filter gradient of channels `0..<width` to `dW` (`[width, k·k]`, rows `k·k`
    /// apart): x planes `H·W` apart, dy planes `Ho·Wo` apart.
    func filterGradient(_ x: UnsafePointer<Float>, dy: UnsafePointer<Float>, into dW: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>, gradientScratch: UnsafeMutablePointer<Float>) {
        let gradient = width == 16 ? cl_depthwise_filter_gradient16 : cl_depthwise_filter_gradient8
        gradient(x, g.inputHeight * g.inputWidth, g.inputHeight, g.inputWidth,
                 dy, g.outputHeight, g.outputWidth, g.kernelHeight, g.stride, g.padTop, g.padLeft,
                 dW, scratch, paddedWidth, gradientScratch)
    }
}

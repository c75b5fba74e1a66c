import CDepthwise

/// Eight channels of a depthwise convolution at once, a pixel's eight channels in one AVX2 vector
/// (`cl_depthwise_forward8` in the C target `CDepthwise`, which says why).
///
/// The scratch is the eight channels' zero-padded input, pixel-major, `paddedHeight × paddedWidth × 8`
/// floats: wide and high enough for every tap of every computed output, including the up to seven
/// pixels past a row's end that the last vector group of a row computes and drops.
struct DepthwiseChannelBlocks {
    /// Channels per block: the lanes of an AVX2 vector of floats.
    static let width = 8
    /// The largest kernel side the C kernel holds the taps of.
    static let largestKernel = 7

    let g: ConvolutionGeometry
    let paddedHeight: Int
    let paddedWidth: Int

    /// Nil for geometries the C kernel does not take: non-square kernels and sides above 7.
    init?(_ g: ConvolutionGeometry) {
        guard g.kernelHeight == g.kernelWidth, g.kernelHeight <= Self.largestKernel, g.stride >= 1 else { return nil }
        self.g = g
        let (k, s) = (g.kernelHeight, g.stride)
        paddedHeight = max(g.padTop + g.inputHeight, (g.outputHeight - 1) * s + k)
        let computedWidth = (g.outputWidth + Self.width - 1) / Self.width * Self.width
        paddedWidth = max(g.padLeft + g.inputWidth, (computedWidth - 1) * s + k)
    }

    /// How `channels` channels split between the two kernels: whole groups of eight for this one
    /// (none when `blocks` is nil), one plane each for the rest. Item `i` of a split is channels
    /// `8i ..< 8i + 8` for `i < blockCount`, else the one channel `8·blockCount + i − blockCount`.
    struct ChannelSplit {
        let blockCount: Int
        let items: Int

        init(channels: Int, blocks: DepthwiseChannelBlocks?) {
            blockCount = blocks == nil ? 0 : channels / DepthwiseChannelBlocks.width
            items = blockCount + channels - blockCount * DepthwiseChannelBlocks.width
        }

        /// The channels of item `item`: eight for a block, one for a leftover.
        func channels(of item: Int) -> Range<Int> {
            let width = DepthwiseChannelBlocks.width
            if item < blockCount { return item * width ..< (item + 1) * width }
            let channel = blockCount * width + item - blockCount
            return channel ..< channel + 1
        }
    }

    /// A zeroed, 64-byte-aligned scratch for this geometry; the caller deallocates it.
    func allocateScratch() -> UnsafeMutablePointer<Float> {
        let count = paddedHeight * paddedWidth * Self.width
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: count)
    }

    /// Channels `0..<8` from `x` (planes `H·W` apart) into `output` (planes `Ho·Wo` apart).
    func compute(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 clamp: ClampRange, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        cl_depthwise_forward8(x, g.inputHeight * g.inputWidth, g.inputHeight, g.inputWidth,
                              weights, bias, g.kernelHeight, g.stride, g.padTop, g.padLeft,
                              output, g.outputHeight, g.outputWidth, clamp.lower, clamp.upper,
                              scratch, paddedWidth)
    }

    /// Floats of the pixel-major output gradient `filterGradient` needs beside the scratch.
    var gradientScratchCount: Int { g.outputHeight * g.outputWidth * Self.width }

    /// Adds one image's filter gradient of channels `0..<8` to `dW` (`[8, k·k]`, rows `k·k` apart):
    /// x planes `H·W` apart, dy planes `Ho·Wo` apart.
    func filterGradient(_ x: UnsafePointer<Float>, dy: UnsafePointer<Float>, into dW: UnsafeMutablePointer<Float>,
                        scratch: UnsafeMutablePointer<Float>, gradientScratch: UnsafeMutablePointer<Float>) {
        cl_depthwise_filter_gradient8(x, g.inputHeight * g.inputWidth, g.inputHeight, g.inputWidth,
                                      dy, g.outputHeight, g.outputWidth, g.kernelHeight, g.stride, g.padTop, g.padLeft,
                                      dW, scratch, paddedWidth, gradientScratch)
    }
}

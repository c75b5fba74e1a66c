/// Where a convolution (or pooling window) reads its input: kernel size, stride, and the zero padding
/// added on each side. Padding is explicit per side because TensorFlow's "SAME" rule pads less before
/// than after (e.g. (0,1) for a 3×3 stride-2 kernel on an even size); `Networks.Padding` computes it.
public struct ConvolutionGeometry: Equatable, Sendable {
    public var inputHeight: Int
    public var inputWidth: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var stride: Int
    public var padTop: Int
    public var padLeft: Int
    public var padBottom: Int
    public var padRight: Int

    public init(inputHeight: Int, inputWidth: Int, kernelHeight: Int, kernelWidth: Int, stride: Int,
                padTop: Int, padLeft: Int, padBottom: Int, padRight: Int) {
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padTop = padTop
        self.padLeft = padLeft
        self.padBottom = padBottom
        self.padRight = padRight
    }

    /// `floor((in + before + after - k) / stride) + 1`, PyTorch's and TensorFlow's common formula.
    public var outputHeight: Int { (inputHeight + padTop + padBottom - kernelHeight) / stride + 1 }
    public var outputWidth: Int { (inputWidth + padLeft + padRight - kernelWidth) / stride + 1 }

    /// Where the input gradient of a stride-1 convolution reads dy: the same kernel (turned 180°) over
    /// the output, padded by `k − 1 − pad` on each side, gives back the input's size. Both the
    /// depthwise and the Winograd input gradients run as such forward convolutions.
    public var inputGradientGeometry: ConvolutionGeometry {
        precondition(stride == 1, "the input gradient is a forward convolution only at stride 1")
        return ConvolutionGeometry(inputHeight: outputHeight, inputWidth: outputWidth,
                                   kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: 1,
                                   padTop: kernelHeight - 1 - padTop, padLeft: kernelWidth - 1 - padLeft,
                                   padBottom: kernelHeight - 1 - padBottom, padRight: kernelWidth - 1 - padRight)
    }

    /// A 1×1 stride-1 unpadded convolution reads its input as the GEMM operand itself (no im2col).
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && stride == 1
            && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
    }

    /// Calls `body` for every kernel tap of `channels` input channels with its row of the unfolded
    /// matrix, `(c·kh + ky)·kw + kx` (PyTorch's OIHW flattening): the order `im2col` writes and
    /// `col2im` reads.
    @inline(__always)
    func forEachTap(channels: Int, _ body: (_ row: Int, _ c: Int, _ ky: Int, _ kx: Int) -> Void) {
        for c in 0..<channels {
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    body((c * kernelHeight + ky) * kernelWidth + kx, c, ky, kx)
                }
            }
        }
    }

    /// The output columns `ox` whose input column `ox·stride − padLeft + kx` lies inside the image
    /// for kernel column `kx` (empty when none does); the others read the zero padding.
    func columnsInside(kx: Int) -> Range<Int> {
        let shift = kx - padLeft
        let first = shift >= 0 ? 0 : (-shift + stride - 1) / stride
        let last = inputWidth - 1 - shift >= 0 ? min((inputWidth - 1 - shift) / stride, outputWidth - 1) : -1
        return first ..< max(first, last + 1)
    }
}

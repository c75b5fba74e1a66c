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

    /// A 1×1 stride-1 unpadded convolution reads its input as the GEMM operand itself (no im2col).
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && stride == 1
            && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
    }
}

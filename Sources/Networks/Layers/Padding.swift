import Tensors

/// How a convolution or pooling window pads its input.
///
/// PyTorch pads the same amount on both sides (`k // 2` for odd kernels). TensorFlow's "SAME" keeps
/// `out = ceil(in / stride)` and, when the total padding is odd, puts the extra row/column *after*:
/// a 3×3 stride-2 convolution on 224 pads (top, bottom) = (0, 1). EfficientNet-Lite0's converted
/// TF weights only reproduce their reference outputs with SAME (symmetric padding: cosine 0.91).
public enum Padding: Equatable, Sendable {
    /// PyTorch: `amount` zeros on every side.
    case symmetric(Int)
    /// TensorFlow "SAME": `total = max((ceil(in/s) - 1)·s + k - in, 0)`, `before = total / 2`.
    case same

    /// The full geometry of a `kernel`×`kernel` window with `stride` over an `height`×`width` input.
    public func geometry(height: Int, width: Int, kernel: Int, stride: Int) -> ConvolutionGeometry {
        switch self {
        case .symmetric(let p):
            return ConvolutionGeometry(inputHeight: height, inputWidth: width, kernelHeight: kernel,
                                       kernelWidth: kernel, stride: stride,
                                       padTop: p, padLeft: p, padBottom: p, padRight: p)
        case .same:
            let (top, bottom) = Padding.sameAmounts(size: height, kernel: kernel, stride: stride)
            let (left, right) = Padding.sameAmounts(size: width, kernel: kernel, stride: stride)
            return ConvolutionGeometry(inputHeight: height, inputWidth: width, kernelHeight: kernel,
                                       kernelWidth: kernel, stride: stride,
                                       padTop: top, padLeft: left, padBottom: bottom, padRight: right)
        }
    }

    /// (before, after) padding of TensorFlow's SAME rule along one dimension.
    static func sameAmounts(size: Int, kernel: Int, stride: Int) -> (Int, Int) {
        let out = (size + stride - 1) / stride
        let total = max((out - 1) * stride + kernel - size, 0)
        return (total / 2, total - total / 2)
    }
}

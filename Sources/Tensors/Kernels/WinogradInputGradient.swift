import Support
/// The input gradient of a 3×3 stride-1 convolution, as a Winograd convolution of the output gradient.
///
/// With `y = conv(x, W)` (padding p per side), `dX[c, i, j] = Σₒ Σ_{a,b} dY[o, i + p − a, j + p − b] · W[o, c, a, b]`:
/// a correlation of dY with the kernel turned 180° and its channel axes swapped,
/// `W'[c, o, a, b] = W[o, c, 2 − a, 2 − b]`, padded by `2 − p` per side. That is again a 3×3
/// stride-1 convolution, so the Winograd kernels of the forward compute it with the same 2.25×
/// (F(2×2, 3×3)) or 4× (F(4×4, 3×3)) fewer multiplications than `Wᵀ · dY` followed by `col2im`.
extension Tensor {
    /// - dy: `[N, Cout, Ho, Wo]`; weights: `[Cout, Cin·9]` (the forward's); g: the forward's geometry
    ///   (3×3, stride 1, at most 2 padding per side). `outputTile` 2 or 4 picks the Winograd variant.
    /// - Returns: dX `[N, Cin, H, W]`.
    public static func winogradInputGradient(_ dy: Tensor, weights: Tensor, geometry g: ConvolutionGeometry,
                                             outputTile: Int, compute: ComputeContext) -> Tensor {
        let (cout, cin) = (weights.shape[0], weights.shape[1] / 9)
        precondition(g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && weights.shape[1] == cin * 9,
                     "winograd input gradient needs a 3×3 stride-1 convolution, got \(g) and weights \(weights.shape)")
        precondition(dy.rank == 4 && dy.shape[1] == cout && dy.shape[2] == g.outputHeight && dy.shape[3] == g.outputWidth,
                     "winograd input gradient: dy \(dy.shape) for \(g)")
        precondition(Self.suitsWinogradInputGradient(g), "winograd input gradient: padding of \(g) beyond 2")
        return winogradConvolution(dy, transformedWeights: winogradWeights(weights, outputTile: outputTile, turned: true, compute: compute),
                                   bias: [Float](repeating: 0, count: cin), geometry: g.inputGradientGeometry, compute: compute)
    }

    /// Whether `winogradInputGradient` applies to a convolution of geometry `g`: 3×3, stride 1, and a
    /// padding of at most 2 per side (so that the transposed convolution's padding `2 − p` is not negative).
    public static func suitsWinogradInputGradient(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1
            && [g.padTop, g.padLeft, g.padBottom, g.padRight].allSatisfy { (0...2).contains($0) }
    }
}

/// The adjoint of `im2col`: adds every matrix column's values back onto the input positions they were
/// read from, so `dX = col2im(Wᵀ · dY)` is a convolution's input gradient.
///
/// - columns: `[Cin·kh·kw, Ho·Wo]` for one image, row `(c·kh + ky)·kw + kx` (the layout `im2col` writes),
///   rows `rowStride` apart (default `Ho·Wo`; larger when several images share one matrix).
/// - image: `[Cin, H, W]`, *accumulated into* (the caller zeroes it first).
/// Padded positions (including TF SAME's extra row/column after) simply receive nothing, which is
/// exactly the derivative of reading a constant 0 there.
func col2im(_ columns: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
            into image: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
    let height = g.inputHeight, width = g.inputWidth, stride = g.stride
    let (outHeight, outWidth) = (g.outputHeight, g.outputWidth)
    let ld = rowStride ?? outHeight * outWidth
    g.forEachTap(channels: channels) { row, c, ky, kx in
        let src = columns + row * ld
        let shift = kx - g.padLeft
        let valid = g.columnsInside(kx: kx)
        guard !valid.isEmpty else { return }
        for oy in 0..<outHeight {
            let iy = oy * stride - g.padTop + ky
            if iy < 0 || iy >= height { continue }
            let dst = image + (c * height + iy) * width + shift
            let s = src + oy * outWidth
            if stride == 1 {
                for ox in valid { dst[ox] += s[ox] }
            } else {
                for ox in valid { dst[ox * stride] += s[ox] }
            }
        }
    }
}

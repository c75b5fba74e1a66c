/// The adjoint of `im2col`: adds every matrix column's values back onto the input positions they were
/// read from, so `dX = col2im(Wᵀ · dY)` is a convolution's input gradient.
///
/// - columns: `[Cin·kh·kw, Ho·Wo]` for one image, row `(c·kh + ky)·kw + kx` (the layout `im2col` writes).
/// - image: `[Cin, H, W]`, *accumulated into* (the caller zeroes it first).
/// Padded positions (including TF SAME's extra row/column after) simply receive nothing, which is
/// exactly the derivative of reading a constant 0 there.
func col2im(_ columns: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
            into image: UnsafeMutablePointer<Float>) {
    let height = g.inputHeight, width = g.inputWidth, stride = g.stride
    let (outHeight, outWidth) = (g.outputHeight, g.outputWidth)
    let ld = outHeight * outWidth
    for c in 0..<channels {
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let row = (c * g.kernelHeight + ky) * g.kernelWidth + kx
                let src = columns + row * ld
                let shift = kx - g.padLeft
                let firstValid = shift >= 0 ? 0 : (-shift + stride - 1) / stride
                let lastValid = (width - 1 - shift) >= 0 ? min((width - 1 - shift) / stride, outWidth - 1) : -1
                guard firstValid <= lastValid else { continue }
                for oy in 0..<outHeight {
                    let iy = oy * stride - g.padTop + ky
                    if iy < 0 || iy >= height { continue }
                    let dst = image + (c * height + iy) * width + shift
                    let s = src + oy * outWidth
                    if stride == 1 {
                        for ox in firstValid...lastValid { dst[ox] += s[ox] }
                    } else {
                        for ox in firstValid...lastValid { dst[ox * stride] += s[ox] }
                    }
                }
            }
        }
    }
}

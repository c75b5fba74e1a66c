import Support
import Testing
@testable import Tensors

/// `im2col` against its definition, entry by entry: row `(c·kh + ky)·kw + kx`, column `oy·Wo + ox`
/// holds input `(c, oy·stride − padTop + ky, ox·stride − padLeft + kx)`, or 0 in the padding.
@Suite struct Im2colTests {
    /// (height, width, kernel, stride, padTop, padLeft, padBottom, padRight): ResNet18's stem and
    /// stride-2 layers, TF SAME's asymmetric pads, odd and even widths, a 5×5, a stride-1 and a stride-3 one.
    static let geometries: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (30, 29, 7, 2, 3, 3, 3, 3), (14, 14, 3, 2, 1, 1, 1, 1), (14, 15, 1, 2, 0, 0, 0, 0),
        (12, 16, 3, 2, 0, 0, 1, 1), (11, 10, 5, 2, 1, 1, 2, 2), (9, 40, 3, 2, 1, 1, 1, 1),
        (9, 11, 3, 1, 1, 1, 1, 1), (13, 14, 3, 3, 1, 1, 1, 1),
    ]

    @Test(arguments: geometries)
    func unfoldsAsDefined(_ shape: (Int, Int, Int, Int, Int, Int, Int, Int)) {
        let (h, w, k, stride, top, left, bottom, right) = shape
        let g = ConvolutionGeometry(inputHeight: h, inputWidth: w, kernelHeight: k, kernelWidth: k, stride: stride,
                                    padTop: top, padLeft: left, padBottom: bottom, padRight: right)
        let channels = 3
        var generator = SeededGenerator(seed: 41)
        let image = (0..<(channels * h * w)).map { _ in generator.uniformFloat(-1, 1) }
        let total = g.outputHeight * g.outputWidth
        let rows = channels * k * k
        // The whole image, then ranges that start and end inside output rows (as the forward's blocks do).
        let ranges = [0..<total, 3..<(total - 2), (g.outputWidth + 1)..<(2 * g.outputWidth + 3), 5..<6]
        for columns in ranges where !columns.isEmpty && columns.upperBound <= total {
            let ld = columns.count + 5   // rows further apart than the range: the gap must stay untouched
            var unfolded = [Float](repeating: .nan, count: rows * ld)
            image.withUnsafeBufferPointer { x in
                unfolded.withUnsafeMutableBufferPointer { d in
                    im2col(x.baseAddress!, channels: channels, geometry: g, columns: columns, into: d.baseAddress!, rowStride: ld)
                }
            }
            var wrong = 0
            for c in 0..<channels { for ky in 0..<k { for kx in 0..<k {
                let row = (c * k + ky) * k + kx
                for j in columns {
                    let (oy, ox) = (j / g.outputWidth, j % g.outputWidth)
                    let (iy, ix) = (oy * stride - top + ky, ox * stride - left + kx)
                    let expected: Float = iy >= 0 && iy < h && ix >= 0 && ix < w ? image[(c * h + iy) * w + ix] : 0
                    if unfolded[row * ld + j - columns.lowerBound] != expected { wrong += 1 }
                }
                for gap in columns.count..<ld where !unfolded[row * ld + gap].isNaN { wrong += 1 }
            }}}
            #expect(wrong == 0, "\(h)×\(w), \(k)×\(k)/\(stride) pads \(top),\(left),\(bottom),\(right), columns \(columns): \(wrong) entries wrong")
        }
    }
}

/// Resizes `image` to `width × height` with PIL's antialiased bilinear filter (`Image.BILINEAR`),
/// bit for bit (Pillow 13).
///
/// This is what torchvision's `transforms.Resize` does to a PIL image, i.e. what every model in
/// the PyTorch recipe was trained on. Matching it exactly (not just closely) lets the reference
/// tensors be compared at 0 grey levels, so any regression in preprocessing shows at once.
///
/// Why fixed point: PIL sums `pixel × weight` in integers with weights scaled by 2^22 and rounds
/// each pass to 8 bits; a float resize differs from that by up to one grey level (see
/// `ResampleTaps`, `ResampleKernel`).
///
/// Why the pass order matters: the intermediate image is rounded to bytes, so horizontal-then-vertical
/// and vertical-then-horizontal differ on some pixels. Pillow up to 12 always ran the horizontal pass
/// first (the reference README's recipe). Pillow 13 (python-pillow/Pillow#9549) runs the vertical
/// pass first when the height shrinks by more than twice as many pixels as the width:
/// `inH ≥ outH && inH − outH > 2·(inW − outW)` — e.g. stretching a 300×450 cover to 224×224.
/// We follow Pillow 13 (checked against it over 1,700 size pairs); for the reference `crop` of the
/// 300×450 portrait both versions run horizontal first, and the result is identical.
///
/// An empty source gives a mid-grey (127) image of the requested size — the colour the
/// normalisations map to about 0 — rather than a crash; decoders never produce one.
public func resizeBilinear(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
    resizeBilinear(image, width: width, height: height, columns: 0..<max(width, 0), rows: 0..<max(height, 0))
}

/// The window `columns × rows` of the `width × height` resize of `image`, computing only the
/// pixels inside it.
///
/// Each output pixel depends only on its own taps, so this equals resizing fully and cropping
/// afterwards — it just skips the work and memory for the discarded part (a centre crop of a
/// 1:10 panorama would otherwise build a 224 × 2240 intermediate).
func resizeBilinear(_ image: RGBImage, width: Int, height: Int,
                    columns: Range<Int>, rows: Range<Int>) -> RGBImage {
    let columns = columns.clamped(to: 0..<max(width, 0))
    let rows = rows.clamped(to: 0..<max(height, 0))
    guard image.width > 0, image.height > 0 else {
        return RGBImage(width: columns.count, height: rows.count, fill: (127, 127, 127))
    }
    guard !columns.isEmpty, !rows.isEmpty else {
        return RGBImage(width: columns.count, height: rows.count, pixels: [])
    }
    let horizontalTaps = width == image.width ? nil : ResampleTaps.cached(inSize: image.width, outSize: width)
    let verticalTaps = height == image.height ? nil : ResampleTaps.cached(inSize: image.height, outSize: height)
    // Only the source pixels some output pixel reads enter the first pass (PIL trims rows the same way).
    var held = (rows: verticalTaps?.inputSpan(of: rows) ?? rows,
                columns: horizontalTaps?.inputSpan(of: columns) ?? columns)
    var pixels = held.rows.count == image.height && held.columns.count == image.width
        ? image.pixels : cropRowsAndColumns(image, rows: held.rows, columns: held.columns)

    func horizontalPass() {
        guard let taps = horizontalTaps else { return }
        pixels = ResampleKernel.horizontal(pixels, sourceColumns: held.columns, rowCount: held.rows.count,
                                           taps: taps, columns: columns)
        held.columns = columns
    }
    func verticalPass() {
        guard let taps = verticalTaps else { return }
        pixels = ResampleKernel.vertical(pixels, rowBytes: held.columns.count * 3, sourceRows: held.rows,
                                         taps: taps, rows: rows)
        held.rows = rows
    }
    let verticalFirst = image.height >= height && image.height - height > 2 * (image.width - width)
    if verticalFirst {
        verticalPass(); horizontalPass()
    } else {
        horizontalPass(); verticalPass()
    }
    return RGBImage(width: columns.count, height: rows.count, pixels: pixels)
}

/// The pixels of `rows × columns` of `image`, row by row → `[rows.count, columns.count, 3]`.
func cropRowsAndColumns(_ image: RGBImage, rows: Range<Int>, columns: Range<Int>) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(rows.count * columns.count * 3)
    for y in rows {
        let start = (y * image.width + columns.lowerBound) * 3
        out.append(contentsOf: image.pixels[start ..< start + columns.count * 3])
    }
    return out
}

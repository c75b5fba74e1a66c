extension RGBImage {
    /// The upright image for a file whose EXIF orientation is `orientation`.
    ///
    /// Each output pixel (x, y) of the upright W′×H′ image reads the stored W×H image at:
    ///
    ///     1 up            (x, y)                   5 leftMirrored   (y, x)            transpose
    ///     2 upMirrored    (W-1-x, y)               6 right          (y, H-1-x)        rotate 90° cw
    ///     3 down          (W-1-x, H-1-y)           7 rightMirrored  (W-1-y, H-1-x)    transverse
    ///     4 downMirrored  (x, H-1-y)               8 left           (W-1-y, x)        rotate 90° acw
    ///
    /// which is PIL's `exif_transpose` (2 FLIP_LEFT_RIGHT, 3 ROTATE_180, 4 FLIP_TOP_BOTTOM,
    /// 5 TRANSPOSE, 6 ROTATE_270, 7 TRANSVERSE, 8 ROTATE_90).
    public func applying(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .up { return self }
        let (w, h) = (width, height)
        let (outWidth, outHeight) = orientation.swapsDimensions ? (h, w) : (w, h)
        let source: (Int, Int) -> (Int, Int)
        switch orientation {
        case .up: source = { x, y in (x, y) }
        case .upMirrored: source = { x, y in (w - 1 - x, y) }
        case .down: source = { x, y in (w - 1 - x, h - 1 - y) }
        case .downMirrored: source = { x, y in (x, h - 1 - y) }
        case .leftMirrored: source = { x, y in (y, x) }
        case .right: source = { x, y in (y, h - 1 - x) }
        case .rightMirrored: source = { x, y in (w - 1 - y, h - 1 - x) }
        case .left: source = { x, y in (w - 1 - y, x) }
        }
        var out = [UInt8](repeating: 0, count: pixels.count)
        for y in 0 ..< outHeight {
            for x in 0 ..< outWidth {
                let (sx, sy) = source(x, y)
                let from = (sy * w + sx) * 3
                let to = (y * outWidth + x) * 3
                out[to] = pixels[from]
                out[to + 1] = pixels[from + 1]
                out[to + 2] = pixels[from + 2]
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}

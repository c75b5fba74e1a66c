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
        if orientation == .up || width == 0 || height == 0 { return self }
        let (w, h) = (width, height)
        let (outWidth, outHeight) = orientation.swapsDimensions ? (h, w) : (w, h)
        // The source position is affine in (x, y): start at the source pixel of output (0, 0) and
        // move by `stepX` pixels per output column and `stepY` per output row (table above).
        let (start, stepX, stepY): (Int, Int, Int) = switch orientation {
        case .up: (0, 1, w)
        case .upMirrored: (w - 1, -1, w)
        case .down: ((h - 1) * w + w - 1, -1, -w)
        case .downMirrored: ((h - 1) * w, 1, -w)
        case .leftMirrored: (0, w, 1)
        case .right: ((h - 1) * w, -w, 1)
        case .rightMirrored: ((h - 1) * w + w - 1, -w, -1)
        case .left: (w - 1, w, -1)
        }
        var out = [UInt8](repeating: 0, count: pixels.count)
        var to = 0
        for y in 0 ..< outHeight {
            var from = (start + y * stepY) * 3
            for _ in 0 ..< outWidth {
                out[to] = pixels[from]
                out[to + 1] = pixels[from + 1]
                out[to + 2] = pixels[from + 2]
                to += 3
                from += stepX * 3
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}

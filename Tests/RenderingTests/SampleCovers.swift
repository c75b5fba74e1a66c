import Imaging

/// Generated stand-ins for book covers (never real covers): a background colour, a title bar,
/// a disc, so a figure shows recognisable but synthetic tiles.
enum SampleCovers {
    static func cover(width: Int = 120, height: Int = 180, background: (UInt8, UInt8, UInt8),
                      accent: (UInt8, UInt8, UInt8) = (250, 240, 220)) -> RGBImage {
        var image = RGBImage(width: width, height: height, fill: (background.0, background.1, background.2))
        let barTop = height / 8, barBottom = height / 8 + height / 10
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x - width / 2), dy = Double(y - height * 3 / 5)
                let inDisc = dx * dx + dy * dy < Double(width * width) / 10
                let inBar = y >= barTop && y < barBottom && x >= width / 8 && x < width * 7 / 8
                if inBar || inDisc { image[x, y] = (accent.0, accent.1, accent.2) }
            }
        }
        return image
    }

    static let palette: [(UInt8, UInt8, UInt8)] = [
        (38, 70, 83), (42, 157, 143), (233, 196, 106), (244, 162, 97), (231, 111, 81),
        (120, 80, 150), (30, 30, 40), (200, 60, 70),
    ]

    static func covers(_ count: Int) -> [RGBImage] {
        (0..<count).map { cover(background: palette[$0 % palette.count]) }
    }

    /// How many pixels in `rect` (pixel coordinates) are clearly not white: the "ink" a reader sees.
    static func inkCount(_ image: RGBImage, x: Range<Int>, y: Range<Int>) -> Int {
        var n = 0
        for yy in y where yy >= 0 && yy < image.height {
            for xx in x where xx >= 0 && xx < image.width {
                let p = image[xx, yy]
                if Int(p.r) + Int(p.g) + Int(p.b) < 600 { n += 1 }
            }
        }
        return n
    }
}

/// Conversions from a decoder's native samples to 8-bit RGB. Pure functions over byte arrays, so
/// each formula is tested on its own.
enum PixelConversion {
    /// Grey → RGB by repeating the sample.
    static func rgb(fromGrey grey: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: grey.count * 3)
        for (i, v) in grey.enumerated() {
            out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v
        }
        return out
    }

    /// 16-bit samples → 8 bits as PIL reduces all but one kind (RGB, RGBA, grey+alpha, CMYK):
    /// the high byte, `v >> 8`.
    static func highBytes(_ samples: [UInt16]) -> [UInt8] { samples.map { UInt8($0 >> 8) } }

    /// 16-bit grey without alpha → 8 bits as PIL does it: such a file opens as mode `I;16`, whose
    /// `convert("RGB")` clips at 255, so 0...255 stay and every brighter sample (nearly all of a
    /// real image) is white. Only for `--colour-management off`, which promises PIL's pixels.
    static func clippedGrey(_ samples: [UInt16]) -> [UInt8] { samples.map { UInt8(min($0, 255)) } }

    /// 16-bit samples → 8 bits rounded to nearest, `(v·255 + 32767) / 65535`: what colour
    /// management uses for TIFF, one level closer than the high byte on average.
    static func rounded(_ samples: [UInt16]) -> [UInt8] { samples.map { UInt8((Int($0) * 255 + 32767) / 65535) } }

    /// CMYK as stored in a JPEG → RGB, exactly as PIL does it.
    ///
    /// Photoshop, ImageMagick and libjpeg itself write CMYK JPEGs with an Adobe APP14 marker and the
    /// samples *inverted* (0 = full ink). PIL assumes that convention for every CMYK JPEG
    /// (rawmode "CMYK;I"), recovers the ink amounts c = 255 − stored, and converts with
    /// `r = (255−k) − round((255−k)·c / 255)`, i.e. r ≈ stored_c · stored_k / 255. We follow PIL
    /// because the models are trained on covers PIL decoded. `MULDIV255` below is PIL's rounding
    /// of a·b/255: `t = a·b + 128; (t + t>>8) >> 8`. YCCK arrives here already as CMYK (libjpeg
    /// converts it), so the same formula applies.
    static func rgb(fromStoredCMYK cmyk: [UInt8]) -> [UInt8] {
        let count = cmyk.count / 4
        var out = [UInt8](repeating: 0, count: count * 3)
        for i in 0 ..< count {
            let notK = Int(cmyk[4 * i + 3])   // stored value = 255 − k
            for channel in 0 ..< 3 {
                let ink = 255 - Int(cmyk[4 * i + channel])
                let value = notK - mulDiv255(ink, notK)
                out[3 * i + channel] = UInt8(clamping: value)
            }
        }
        return out
    }

    /// RGBA → RGB composited over white, in 8-bit sRGB values (no linearisation, like a browser
    /// showing the PNG on a white page): `out = (c·a + 255·(255−a) + 127) / 255` with integer
    /// division, i.e. rounded to nearest. Opaque pixels keep c exactly; transparent ones become 255.
    ///
    /// PIL's `convert("RGB")` would instead drop alpha and keep whatever colour transparent
    /// pixels hold (often black); white is what a cover on a shop page looks like.
    static func rgb(fromRGBA rgba: [UInt8]) -> [UInt8] {
        let count = rgba.count / 4
        var out = [UInt8](repeating: 0, count: count * 3)
        for i in 0 ..< count {
            let a = Int(rgba[4 * i + 3])
            for channel in 0 ..< 3 {
                let c = Int(rgba[4 * i + channel])
                out[3 * i + channel] = UInt8((c * a + 255 * (255 - a) + 127) / 255)
            }
        }
        return out
    }

    /// PIL's MULDIV255: a·b/255 rounded, for 0 ≤ a, b ≤ 255.
    static func mulDiv255(_ a: Int, _ b: Int) -> Int {
        let t = a * b + 128
        return (t + (t >> 8)) >> 8
    }
}

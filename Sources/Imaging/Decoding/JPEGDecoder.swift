import CImageDecode

/// JPEG through libjpeg-turbo (via the CImageDecode shim, which owns libjpeg's setjmp).
///
/// libjpeg's default settings are PIL's (accurate integer DCT, fancy upsampling), so the RGB
/// values equal PIL's for the same libjpeg-turbo; with ``DecodeLimits/jpegDraftSide`` they equal
/// PIL's after `Image.draft("RGB", (side, side))`.
enum JPEGDecoder {
    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        let draftSide = UInt32(clamping: limits.jpegDraftSide ?? 0)   // negative clamps to 0: no draft
        let shim: CDecodeStatus.ShimDecoder = { cl_jpeg_decode($0, $1, $2, draftSide, $3) }
        return try CDecodeStatus.run(shim, on: bytes, path: path, limits: limits) { result throws(DecodeError) in
            var decoded = try convert(result, path: path)
            if let warning = try truncationWarning(Int(result.truncation), path: path, limits: limits) {
                decoded.warnings.insert(warning, at: 0)
                decoded.cutShort = warning
            }
            return decoded
        }
    }

    /// What to say about a file whose data ran out, or the error when it cannot be used: a file
    /// that lacks only its end marker, or only the refinement scans of a progressive file, has
    /// every pixel (PIL with `LOAD_TRUNCATED_IMAGES` and libjpeg use it too); one cut inside the
    /// image data is refused unless ``DecodeLimits/allowsTruncated``.
    private static func truncationWarning(_ truncation: Int, path: String, limits: DecodeLimits) throws(DecodeError) -> String? {
        switch truncation {
        case CL_JPEG_COMPLETE:
            return nil
        case CL_JPEG_END_MARKER_MISSING:
            return "the JPEG end marker is missing (the file was cut just after its image data); every pixel is there"
        case CL_JPEG_REFINEMENT_MISSING:
            return "the file ends during the last refinement scans of this progressive JPEG; every pixel is there, at slightly lower detail"
        default:
            guard limits.allowsTruncated else { throw .truncated(path: path) }
            return "the file ends inside the image data; the missing part is grey (used because of --allow-truncated)"
        }
    }

    /// Stored samples → RGB: grey repeated, YCbCr/RGB as libjpeg gives them, CMYK/YCCK by PIL's formula.
    private static func convert(_ result: cl_decoded, path: String) throws(DecodeError) -> FormatDecode {
        let width = Int(result.width), height = Int(result.height)
        let components = Int(result.components)
        let samples = CDecodeStatus.copyPixels(of: result)
        let rgb: [UInt8]
        let model: ColourModel
        switch (result.components, result.color_space) {
        case (1, _): rgb = PixelConversion.rgb(fromGrey: samples); model = .grey
        case (3, 2): rgb = samples; model = .rgb
        case (3, _): rgb = samples; model = .ycbcr
        case (4, 5): rgb = PixelConversion.rgb(fromStoredCMYK: samples); model = .ycck
        case (4, _): rgb = PixelConversion.rgb(fromStoredCMYK: samples); model = .cmyk
        default:
            throw .unsupported(path: path, what: "a JPEG with \(result.components) colour components")
        }
        var warnings = CDecodeStatus.warnings(of: result)
        if model == .cmyk || model == .ycck, result.adobe_marker == 0 {
            warnings.append("CMYK without an Adobe marker: assumed inverted like Photoshop's (as PIL does)")
        }
        let profile = CDecodeStatus.copyICC(of: result)
        // A profile describes ink amounts; the stored samples are inverted (see PixelConversion).
        let ink = components == 4 && profile != nil ? ProfileInput.cmyk(samples.map { 255 - $0 }) : nil
        return FormatDecode(
            image: RGBImage(width: width, height: height, pixels: rgb),
            colourModel: model, bitDepth: Int(result.bit_depth),
            variant: result.progressive != 0 ? "progressive" : "baseline",
            exif: CDecodeStatus.copyExif(of: result), warnings: warnings,
            iccProfile: profile, profileInput: ink)
    }
}

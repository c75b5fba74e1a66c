import CHEIF

/// HEIC phone photos and AVIF through libheif (Debian's build decodes HEVC with libde265 and AV1
/// with dav1d/libaom): the primary image, 8-bit RGB with alpha composited over white.
///
/// libheif applies the container's rotation and mirroring (`irot`, `imir`) while decoding, as the
/// HEIF standard asks, so the EXIF orientation a phone also writes is not applied a second time.
enum HEIFDecoder {
    /// libheif wants heif_init once per process before any decode (it loads its codec plugins).
    private static let initialised: Bool = {
        heif_init(nil).code == heif_error_Ok
    }()

    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        guard initialised, let context = heif_context_alloc() else {
            throw .corrupt(path: path, detail: "libheif could not start")
        }
        defer { heif_context_free(context) }
        let brand = brandName(bytes)
        let read = bytes.withUnsafeBytes { heif_context_read_from_memory_without_copy(context, $0.baseAddress, $0.count, nil) }
        try check(read, path: path, brand: brand)

        var handle: OpaquePointer?
        try check(heif_context_get_primary_image_handle(context, &handle), path: path, brand: brand)
        guard let handle else { throw .corrupt(path: path, detail: "no primary image") }
        defer { heif_image_handle_release(handle) }
        let width = Int(heif_image_handle_get_width(handle)), height = Int(heif_image_handle_get_height(handle))
        guard width > 0, height > 0 else { throw .corrupt(path: path, detail: "the image is \(width)×\(height) pixels") }
        if UInt64(width) * UInt64(height) > limits.maxPixels {
            throw .tooLarge(path: path, width: width, height: height, limitMegapixels: limits.maxMegapixels)
        }
        let hasAlpha = heif_image_handle_has_alpha_channel(handle) != 0
        var image: OpaquePointer?
        try check(heif_decode_image(handle, &image, heif_colorspace_RGB,
                                    hasAlpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, nil),
                  path: path, brand: brand)
        guard let image else { throw .corrupt(path: path, detail: "libheif returned no image") }
        defer { heif_image_release(image) }
        let decodedWidth = Int(heif_image_get_primary_width(image)), decodedHeight = Int(heif_image_get_primary_height(image))
        // The coded stream states its own size, which libheif 1.15 does not hold to the container's
        // (one altered byte in the HEVC parameters made a 96×128 file decode to 12288×16384): the
        // limit applies to what was decoded too, before any copy of it is made.
        if UInt64(decodedWidth) * UInt64(decodedHeight) > limits.maxPixels {
            throw .tooLarge(path: path, width: decodedWidth, height: decodedHeight, limitMegapixels: limits.maxMegapixels)
        }
        var stride: Int32 = 0
        guard let plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride),
              decodedWidth > 0, decodedHeight > 0 else {
            throw .corrupt(path: path, detail: "libheif returned no pixels")
        }
        let channels = hasAlpha ? 4 : 3
        var samples = [UInt8](repeating: 0, count: decodedWidth * decodedHeight * channels)
        for y in 0 ..< decodedHeight {
            let row = UnsafeBufferPointer(start: plane + y * Int(stride), count: decodedWidth * channels)
            samples.replaceSubrange(y * decodedWidth * channels ..< (y + 1) * decodedWidth * channels, with: row)
        }
        let rgb = hasAlpha ? PixelConversion.rgb(fromRGBA: samples) : samples
        let images = Int(heif_context_get_number_of_top_level_images(context))
        return FormatDecode(
            image: RGBImage(width: decodedWidth, height: decodedHeight, pixels: rgb),
            colourModel: hasAlpha ? .rgba : .ycbcr, bitDepth: Int(heif_image_handle_get_luma_bits_per_pixel(handle)),
            variant: brand, exif: nil, frameCount: max(1, images),
            warnings: images > 1 ? ["\(images) images: the primary one is used"] : [],
            iccProfile: iccProfile(handle))
    }

    /// "HEIC", "AVIF" or "HEIF", from the `ftyp` major brand.
    private static func brandName(_ bytes: [UInt8]) -> String {
        guard bytes.count >= 12 else { return "HEIF" }
        let brand = String(decoding: bytes[8 ..< 12], as: UTF8.self)
        if brand.hasPrefix("avi") { return "AVIF" }
        if brand.hasPrefix("hei") || brand.hasPrefix("hev") { return "HEIC" }
        return "HEIF"
    }

    /// The `prof`/`rICC` colour profile; an `nclx` description (most phone photos) is not an ICC
    /// profile and libheif's RGB output already follows it.
    private static func iccProfile(_ handle: OpaquePointer) -> [UInt8]? {
        let type = heif_image_handle_get_color_profile_type(handle)
        guard type == heif_color_profile_type_prof || type == heif_color_profile_type_rICC else { return nil }
        let size = heif_image_handle_get_raw_color_profile_size(handle)
        guard size > 0, size < 64 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let error = bytes.withUnsafeMutableBytes { heif_image_handle_get_raw_color_profile(handle, $0.baseAddress) }
        return error.code == heif_error_Ok ? bytes : nil
    }

    private static func check(_ error: heif_error, path: String, brand: String) throws(DecodeError) {
        guard error.code != heif_error_Ok else { return }
        let message = error.message.map { String(cString: $0) } ?? "libheif error \(error.code.rawValue)"
        if error.subcode == heif_suberror_End_of_data { throw .truncated(path: path) }
        switch error.code {
        case heif_error_Unsupported_feature, heif_error_Unsupported_filetype:
            throw .unsupported(path: path, what: "this \(brand) file (\(message))")
        case heif_error_Decoder_plugin_error where message.contains("No decoding plugin") || message.contains("no decoder"):
            throw .unsupported(path: path, what: "this \(brand) file (libheif has no decoder for it: \(message))")
        default:
            throw .corrupt(path: path, detail: message)
        }
    }
}

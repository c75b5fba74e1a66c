import CCairo
import Foundation
import Imaging

/// The only place that touches Cairo's pixel memory.
///
/// Cairo's ARGB32 stores each pixel as one native-endian 32-bit word `0xAARRGGBB` with colour
/// premultiplied by alpha (bytes B, G, R, A in memory on little-endian machines). Going through
/// `UInt32` words keeps the conversion right on either byte order.
enum CairoImageInterop {
    /// An opaque ARGB32 surface holding `image`; the caller destroys it.
    static func surface(from image: RGBImage) throws -> OpaquePointer {
        guard image.width > 0, image.height > 0,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS,
              let data = cairo_image_surface_get_data(surface)
        else {
            throw RenderingError.surfaceFailed(width: image.width, height: image.height,
                                               reason: "cannot hold the image (empty or too large)")
        }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                var s = y * image.width * 3
                for x in 0..<image.width {
                    row[x] = 0xFF00_0000 | UInt32(src[s]) << 16 | UInt32(src[s + 1]) << 8 | UInt32(src[s + 2])
                    s += 3
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }

    /// The pixels of an image surface, composited over white (figures are opaque; a translucent
    /// pixel reads as it would look on a white page).
    static func image(from surface: OpaquePointer) throws -> RGBImage {
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let format = cairo_image_surface_get_format(surface)
        guard width > 0, height > 0, let data = cairo_image_surface_get_data(surface),
              format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24
        else {
            throw RenderingError.surfaceFailed(width: width, height: height, reason: "not a 32-bit image surface")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let opaque = format == CAIRO_FORMAT_RGB24
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<height {
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                var d = y * width * 3
                for x in 0..<width {
                    let p = row[x]
                    // Premultiplied colour over white: c + (255 - a).
                    let white = opaque ? 0 : 255 - (p >> 24)
                    dst[d] = UInt8(min(255, (p >> 16 & 0xFF) + white))
                    dst[d + 1] = UInt8(min(255, (p >> 8 & 0xFF) + white))
                    dst[d + 2] = UInt8(min(255, (p & 0xFF) + white))
                    d += 3
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Attaches the surface's pixels as JPEG data, so a PDF surface embeds that JPEG (a few times
    /// smaller than the lossless stream Cairo writes otherwise) instead of the raw pixels. Small
    /// images (colour-bar strips) are left lossless. Does nothing if the encoder fails.
    static func attachJPEG(to surface: OpaquePointer, quality: Int) {
        guard cairo_image_surface_get_width(surface) * cairo_image_surface_get_height(surface) >= 64 * 64,
              let pixels = try? Self.image(from: surface), let bytes = try? JPEGEncoder.encode(pixels, quality: quality),
              let buffer = malloc(bytes.count) else { return }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        let status = cairo_surface_set_mime_data(surface, "image/jpeg", buffer.assumingMemoryBound(to: UInt8.self),
                                                 UInt(bytes.count), { free($0) }, buffer)
        if status != CAIRO_STATUS_SUCCESS { free(buffer) }
    }

    /// Marks the surface with an identifier made from its pixels (FNV-1a over size and rows), so a
    /// PDF embeds an image drawn many times once: a popular cover that is the nearest match of
    /// twenty candidates was twenty copies in the PDF.
    ///
    /// Call it last, on a surface already flushed: `cairo_surface_flush` drops a surface's MIME
    /// data, so a flush after this (as `attachJPEG` does first) would throw the identifier away.
    static func attachUniqueID(to surface: OpaquePointer) {
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let rowBytes = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for v in [width, height] { for shift in [0, 8, 16, 24] { mix(UInt8(truncatingIfNeeded: v >> shift)) } }
        for y in 0..<height {
            let row = UnsafeRawBufferPointer(start: data + y * rowBytes, count: width * 4)
            for byte in row { mix(byte) }
        }
        let id = Array("coverlens-\(String(hash, radix: 16))-\(width)x\(height)".utf8)
        guard let buffer = malloc(id.count) else { return }
        id.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: id.count) }
        let status = cairo_surface_set_mime_data(surface, "application/x-cairo.uuid", buffer.assumingMemoryBound(to: UInt8.self),
                                                 UInt(id.count), { free($0) }, buffer)
        if status != CAIRO_STATUS_SUCCESS { free(buffer) }
    }

    /// A new `width × height` surface with `source` painted into it through Cairo's box filter;
    /// the caller destroys both. `nil` if Cairo cannot allocate it.
    static func downsampled(_ source: OpaquePointer, width: Int, height: Int) -> OpaquePointer? {
        guard let target = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else { return nil }
        guard cairo_surface_status(target) == CAIRO_STATUS_SUCCESS, let cr = cairo_create(target) else {
            cairo_surface_destroy(target)
            return nil
        }
        defer { cairo_destroy(cr) }
        cairo_scale(cr, Double(width) / Double(cairo_image_surface_get_width(source)),
                    Double(height) / Double(cairo_image_surface_get_height(source)))
        cairo_set_source_surface(cr, source, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD)
        cairo_paint(cr)
        cairo_surface_flush(target)
        return target
    }
}

import CWebP

/// WebP through libwebp: lossy, lossless and alpha with the one-shot decoder, animations through
/// the demux library's animation decoder (first frame, composed on its canvas). Alpha is
/// composited over white; an EXIF chunk supplies the orientation.
enum WebPDecoder {
    static func decode(_ bytes: [UInt8], path: String, limits: DecodeLimits) throws(DecodeError) -> FormatDecode {
        // RIFF size (little-endian at offset 4) counts everything after the first 8 bytes.
        if bytes.count >= 12 {
            let riffSize = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            if riffSize + 8 > bytes.count { throw .truncated(path: path) }
        }
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { WebPGetFeatures($0.baseAddress, $0.count, &features) }
        try check(status, path: path)
        let width = Int(features.width), height = Int(features.height)
        if UInt64(width) * UInt64(height) > limits.maxPixels {
            throw .tooLarge(path: path, width: width, height: height, limitMegapixels: limits.maxMegapixels)
        }

        let animated = features.has_animation != 0
        let (rgba, frameCount) = animated
            ? try firstFrame(bytes, width: width, height: height, path: path)
            : (try still(bytes, width: width, height: height, path: path), 1)
        // An animation's own header says "mixed"; its first frame's bitstream says what it is.
        let encoding = animated ? firstFrameFeatures(bytes) ?? features : features
        let model: ColourModel = encoding.has_alpha != 0 ? .rgba : (encoding.format == 2 ? .rgb : .ycbcr)
        let variant = switch encoding.format {
        case 1: "lossy"
        case 2: "lossless"
        default: "mixed"
        }
        return FormatDecode(
            image: RGBImage(width: width, height: height, pixels: PixelConversion.rgb(fromRGBA: rgba)),
            colourModel: model, bitDepth: 8, variant: variant, exif: chunk("EXIF", in: bytes),
            isAnimated: animated, frameCount: frameCount, iccProfile: chunk("ICCP", in: bytes))
    }

    /// A still image as RGBA (`height × width × 4`).
    private static func still(_ bytes: [UInt8], width: Int, height: Int, path: String) throws(DecodeError) -> [UInt8] {
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else {
            throw .corrupt(path: path, detail: "libwebp version mismatch")
        }
        config.output.colorspace = MODE_RGBA
        let status = bytes.withUnsafeBufferPointer { WebPDecode($0.baseAddress, $0.count, &config) }
        defer { WebPFreeDecBuffer(&config.output) }
        try check(status, path: path)
        let rgba = config.output.u.RGBA
        guard let base = rgba.rgba, Int(config.output.width) == width, Int(config.output.height) == height else {
            throw .corrupt(path: path, detail: "the decoder returned no pixels")
        }
        var out = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0 ..< height {
            let row = UnsafeBufferPointer(start: base + y * Int(rgba.stride), count: width * 4)
            out.replaceSubrange(y * width * 4 ..< (y + 1) * width * 4, with: row)
        }
        return out
    }

    /// The first frame of an animation as RGBA on the full canvas, and the number of frames.
    private static func firstFrame(_ bytes: [UInt8], width: Int, height: Int,
                                   path: String) throws(DecodeError) -> ([UInt8], Int) {
        let result: ([UInt8], Int)? = bytes.withUnsafeBufferPointer { buffer in
            var data = WebPData(bytes: buffer.baseAddress, size: buffer.count)
            var options = WebPAnimDecoderOptions()
            guard WebPAnimDecoderOptionsInit(&options) != 0 else { return nil }
            options.color_mode = MODE_RGBA
            options.use_threads = 0
            guard let decoder = WebPAnimDecoderNew(&data, &options) else { return nil }
            defer { WebPAnimDecoderDelete(decoder) }
            var info = WebPAnimInfo()
            guard WebPAnimDecoderGetInfo(decoder, &info) != 0,
                  Int(info.canvas_width) == width, Int(info.canvas_height) == height else { return nil }
            var frame: UnsafeMutablePointer<UInt8>?
            var timestamp: Int32 = 0
            guard WebPAnimDecoderGetNext(decoder, &frame, &timestamp) != 0, let frame else { return nil }
            return (Array(UnsafeBufferPointer(start: frame, count: width * height * 4)), Int(info.frame_count))
        }
        guard let result else {
            throw .corrupt(path: path, detail: "libwebp could not decode the first frame of the animation")
        }
        return result
    }

    /// The bitstream features of an animation's first frame (lossy or lossless, alpha).
    private static func firstFrameFeatures(_ bytes: [UInt8]) -> WebPBitstreamFeatures? {
        bytes.withUnsafeBufferPointer { buffer -> WebPBitstreamFeatures? in
            var data = WebPData(bytes: buffer.baseAddress, size: buffer.count)
            guard let demux = WebPDemux(&data) else { return nil }
            defer { WebPDemuxDelete(demux) }
            var frame = WebPIterator()
            guard WebPDemuxGetFrame(demux, 1, &frame) != 0 else { return nil }
            defer { WebPDemuxReleaseIterator(&frame) }
            var features = WebPBitstreamFeatures()
            guard WebPGetFeatures(frame.fragment.bytes, frame.fragment.size, &features) == VP8_STATUS_OK else { return nil }
            if frame.has_alpha != 0 { features.has_alpha = 1 }
            return features
        }
    }

    /// The payload of the `EXIF` or `ICCP` chunk, if the file is an extended (VP8X) WebP that has one.
    private static func chunk(_ fourCC: String, in bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var data = WebPData(bytes: buffer.baseAddress, size: buffer.count)
            guard let demux = WebPDemux(&data) else { return nil }
            defer { WebPDemuxDelete(demux) }
            var chunk = WebPChunkIterator()
            guard WebPDemuxGetChunk(demux, fourCC, 1, &chunk) != 0 else { return nil }
            defer { WebPDemuxReleaseChunkIterator(&chunk) }
            guard let start = chunk.chunk.bytes, chunk.chunk.size > 0 else { return nil }
            return Array(UnsafeBufferPointer(start: start, count: chunk.chunk.size))
        }
    }

    private static func check(_ status: VP8StatusCode, path: String) throws(DecodeError) {
        switch status {
        case VP8_STATUS_OK: return
        case VP8_STATUS_NOT_ENOUGH_DATA: throw .truncated(path: path)
        case VP8_STATUS_UNSUPPORTED_FEATURE: throw .unsupported(path: path, what: "this WebP feature")
        case VP8_STATUS_OUT_OF_MEMORY: throw .corrupt(path: path, detail: "out of memory")
        default: throw .corrupt(path: path, detail: "libwebp status \(status.rawValue): invalid bitstream")
        }
    }
}

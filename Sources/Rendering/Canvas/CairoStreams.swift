import CCairo
import Foundation

/// Collects the bytes Cairo writes (PNG or PDF) in memory, so the file is written once, atomically,
/// by `Tensors.AtomicFile` — the same path every other CoverLens output takes.
final class ByteSink {
    var data = Data()

    /// A `cairo_write_func_t` appending to the sink passed as `closure`.
    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }

    /// The pointer Cairo hands back to `write`; the sink must outlive every write.
    var closure: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

enum CairoStreams {
    /// The image surface encoded as PNG.
    static func pngData(_ surface: OpaquePointer, path: String) throws -> Data {
        let sink = ByteSink()
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, ByteSink.write, sink.closure)
        }
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError.writeFailed(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
        return sink.data
    }
}

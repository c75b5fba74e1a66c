import CCairo
import Foundation
import Support

/// Collects the bytes Cairo writes (a PDF) in memory, so the file is written once, atomically,
/// by `Support.AtomicFile` — the same path every other CoverLens output takes.
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

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX error code behind a Foundation file error (ENOSPC, EACCES, …), if there is one.
///
/// Foundation wraps file-system failures in `CocoaError`s whose own codes lose the cause; the
/// errno survives as the error itself (NSPOSIXErrorDomain) or as its underlying error. On Linux
/// that underlying error is a Swift `POSIXError`, not an NSError, so it is cast through `Error`.
public enum POSIXCause {
    public static func code(of error: Error) -> Int32? {
        let ns = error as NSError
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        if let posix = [ns, underlying].compactMap({ $0 }).first(where: { $0.domain == NSPOSIXErrorDomain }) {
            return Int32(posix.code)
        }
        return ns.domain == NSCocoaErrorDomain && ns.code == CocoaError.fileWriteOutOfSpace.rawValue ? ENOSPC : nil
    }

    /// True for "no space left on device" and "disk quota exceeded".
    public static func isDiskFull(_ code: Int32?) -> Bool {
        code == ENOSPC || code == EDQUOT
    }
}

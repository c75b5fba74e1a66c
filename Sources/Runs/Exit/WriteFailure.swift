import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// A Foundation error from creating an output folder or file (not a folder, permissions, full
/// disk, read-only disk), turned into one sentence that says what to do.
///
/// Foundation reports these as `CocoaError` 512…642 or a bare POSIX error; without this they reach
/// the user as "Error Domain=NSCocoaErrorDomain Code=512 (null)" and exit 1 instead of 6.
public struct WriteFailure: CustomStringConvertible {
    public let path: String
    public let posixCode: Int32?

    private static let cocoaWriteCodes: ClosedRange<Int> = 512...642
    private static let posixWriteCodes: Set<Int32> = [EACCES, EPERM, ENOTDIR, ENOSPC, EROFS, EDQUOT, EEXIST, EISDIR]

    /// Nil when `error` is not a failure to write a file or folder.
    public init?(_ error: Error) {
        let ns = error as NSError
        let posix = POSIXCause.code(of: error)
        let isCocoaWrite = ns.domain == NSCocoaErrorDomain && Self.cocoaWriteCodes.contains(ns.code)
        let isPosixWrite = ns.domain == NSPOSIXErrorDomain && posix.map(Self.posixWriteCodes.contains) == true
        guard isCocoaWrite || isPosixWrite else { return nil }
        path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? "the output"
        posixCode = posix
    }

    public var description: String {
        switch posixCode {
        case let code? where POSIXCause.isDiskFull(code): DiskFull.sentence(path)
        case EROFS?: "\(path): cannot be written because the disk is read-only; choose another --out"
        case let code?: "\(path): cannot be written (\(String(cString: strerror(code)))); choose an output folder you can write to"
        case nil: "\(path): cannot be written; choose an output folder you can write to"
        }
    }
}

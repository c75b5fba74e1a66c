import Foundation

/// Little-endian byte ↔ typed-array conversions for checkpoint data.
///
/// This is the checkpoint code's one file with raw buffer access: each function copies bytes
/// exactly once, straight from a (possibly memory-mapped) `Data` into the result array, so a
/// 45 MB weight file is not duplicated on the way in. Callers validate ranges first; the
/// `guard`s here are a second line of defence and return nil rather than trap.
/// CoverLens runs on little-endian hosts only (x86-64, arm64), which the file formats share.
enum RawBytes {
    /// `count` values of `T` starting at byte `offset` (relative to `data.startIndex`).
    static func array<T: FixedWidthOrFloat>(_ type: T.Type, from data: Data, offset: Int, count: Int) -> [T]? {
        let size = MemoryLayout<T>.size
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, offset >= 0, count >= 0, offset <= data.count - byteCount else { return nil }
        let start = data.startIndex + offset
        return [T](unsafeUninitializedCapacity: count) { buffer, initialised in
            data.copyBytes(to: UnsafeMutableRawBufferPointer(buffer), from: start ..< start + byteCount)
            initialised = count
        }
    }

    /// One little-endian integer of `T` at byte `offset`, or nil past the end.
    static func integer<T: FixedWidthInteger & FixedWidthOrFloat>(_ type: T.Type, from data: Data, offset: Int) -> T? {
        array(T.self, from: data, offset: offset, count: 1)?.first.map { T(littleEndian: $0) }
    }

    /// One little-endian float64 at byte `offset`, or nil past the end.
    static func float64(from data: Data, offset: Int) -> Double? {
        integer(UInt64.self, from: data, offset: offset).map { Double(bitPattern: $0) }
    }

    /// One big-endian float64 (pickle's BINFLOAT) at byte `offset`, or nil past the end.
    static func bigEndianFloat64(from data: Data, offset: Int) -> Double? {
        array(UInt64.self, from: data, offset: offset, count: 1)?.first.map { Double(bitPattern: UInt64(bigEndian: $0)) }
    }

    /// The bytes of `values` as stored in memory (little-endian).
    static func data<T: FixedWidthOrFloat>(_ values: [T]) -> Data {
        values.withUnsafeBytes { Data($0) }
    }
}

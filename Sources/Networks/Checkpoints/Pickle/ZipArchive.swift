import Foundation

/// A minimal reader for the zip archives `torch.save` writes (since PyTorch 1.6).
///
/// PyTorch stores every entry uncompressed ("stored") so tensors can be memory-mapped; this
/// reader therefore handles stored entries only and names any compressed entry in its error.
/// It reads the central directory (including zip64 sizes and offsets) and resolves each
/// entry's data range through its local header, checking every offset against the file size.
struct ZipArchive {
    struct Entry {
        var name: String
        /// Byte range of the entry's data in the file.
        var range: Range<Int>
    }

    private(set) var entries: [String: Entry] = [:]
    private(set) var names: [String] = []

    static func matches(_ data: Data) -> Bool {
        Array(data.prefix(4)) == [0x50, 0x4B, 0x03, 0x04]
    }

    init(_ data: Data, path: String) throws {
        let fail = { (detail: String) in CheckpointError.badPickle(path: path, detail: "zip archive: \(detail)") }
        let (count, directoryOffset) = try Self.endOfCentralDirectory(data, fail: fail)
        var position = directoryOffset
        for _ in 0..<count {
            guard u32(data, position) == 0x0201_4B50, let nameLength = u16(data, position + 28),
                  let extraLength = u16(data, position + 30), let commentLength = u16(data, position + 32),
                  let method = u16(data, position + 10), var size = u32(data, position + 20).map(UInt64.init),
                  var localOffset = u32(data, position + 42).map(UInt64.init),
                  position + 46 + nameLength <= data.count else {
                throw fail("damaged central directory at byte \(position)")
            }
            let name = String(decoding: data[data.startIndex + position + 46 ..< data.startIndex + position + 46 + nameLength], as: UTF8.self)
            if size == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                try Self.zip64Fields(data, extraStart: position + 46 + nameLength, extraLength: extraLength,
                                     size: &size, offset: &localOffset, fail: fail)
            }
            guard method == 0 else { throw fail("entry \(name) is compressed (method \(method)); PyTorch writes stored entries") }
            let start = try Self.dataStart(data, localHeader: localOffset, name: name, fail: fail)
            guard size <= UInt64(data.count), start <= data.count - Int(size) else {
                throw CheckpointError.truncated(path: path, detail: "zip entry \(name) runs past the end of the file")
            }
            entries[name] = Entry(name: name, range: start ..< start + Int(size))
            names.append(name)
            position += 46 + nameLength + extraLength + commentLength
        }
    }

    /// Entry count and central directory offset, from the (zip64) end-of-central-directory record.
    private static func endOfCentralDirectory(_ data: Data, fail: (String) -> CheckpointError) throws -> (Int, Int) {
        let earliest = max(0, data.count - 22 - 65_535)
        var position = data.count - 22
        while position >= earliest, u32(data, position) != 0x0605_4B50 { position -= 1 }
        guard position >= earliest, let count16 = u16(data, position + 10), let offset32 = u32(data, position + 16) else {
            throw fail("no end-of-central-directory record (truncated file?)")
        }
        var count = count16, offset = Int(offset32)
        if count16 == 0xFFFF || offset32 == 0xFFFF_FFFF {
            // The zip64 locator sits just before the classic record and points at the zip64 record.
            guard u32(data, position - 20) == 0x0706_4B50, let recordOffset = u64(data, position - 12),
                  recordOffset < UInt64(data.count), u32(data, Int(recordOffset)) == 0x0606_4B50,
                  let count64 = u64(data, Int(recordOffset) + 32), let offset64 = u64(data, Int(recordOffset) + 48) else {
                throw fail("damaged zip64 end-of-central-directory record")
            }
            guard count64 <= UInt64(data.count / 46), offset64 < UInt64(data.count) else { throw fail("zip64 directory past the end of the file") }
            count = Int(count64)
            offset = Int(offset64)
        }
        guard count <= data.count / 46, offset < data.count else { throw fail("central directory past the end of the file") }
        return (count, offset)
    }

    /// Replaces 0xFFFFFFFF size/offset values with the zip64 extra field's 64-bit ones.
    private static func zip64Fields(_ data: Data, extraStart: Int, extraLength: Int,
                                    size: inout UInt64, offset: inout UInt64, fail: (String) -> CheckpointError) throws {
        var position = extraStart
        while position + 4 <= extraStart + extraLength, let id = u16(data, position), let length = u16(data, position + 2) {
            if id == 0x0001 {
                var field = position + 4
                if size == 0xFFFF_FFFF {   // uncompressed size first, then compressed size
                    guard let value = u64(data, field) else { break }
                    size = value
                    field += 16
                }
                if offset == 0xFFFF_FFFF {
                    guard let value = u64(data, field) else { break }
                    offset = value
                }
                return
            }
            position += 4 + length
        }
        throw fail("missing zip64 extra field")
    }

    /// The first data byte of an entry: after its local header, name and extra field (which
    /// PyTorch uses to pad data to 64-byte alignment, so it differs from the central one).
    private static func dataStart(_ data: Data, localHeader: UInt64, name: String, fail: (String) -> CheckpointError) throws -> Int {
        guard localHeader < UInt64(data.count), u32(data, Int(localHeader)) == 0x0403_4B50,
              let nameLength = u16(data, Int(localHeader) + 26), let extraLength = u16(data, Int(localHeader) + 28) else {
            throw fail("entry \(name): no local header at byte \(localHeader)")
        }
        return Int(localHeader) + 30 + nameLength + extraLength
    }

}

private func u16(_ data: Data, _ offset: Int) -> Int? { RawBytes.integer(UInt16.self, from: data, offset: offset).map(Int.init) }
private func u32(_ data: Data, _ offset: Int) -> UInt32? { RawBytes.integer(UInt32.self, from: data, offset: offset) }
private func u64(_ data: Data, _ offset: Int) -> UInt64? { RawBytes.integer(UInt64.self, from: data, offset: offset) }

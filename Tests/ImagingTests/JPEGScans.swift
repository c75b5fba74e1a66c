/// The scans of a JPEG file, read from its markers: what the truncation tests cut between. A
/// marker is `FF xx` outside entropy-coded data, where a literal FF is always followed by 00 or a
/// restart marker (D0–D7), so a byte walk finds every start-of-scan (`FF DA`) and where its data ends.
struct JPEGScans {
    struct Scan {
        /// Offset of the scan's `FF DA` marker.
        var start: Int
        /// Offset of the marker after its entropy-coded data (the next table, scan or end marker).
        var dataEnd: Int
        /// Successive-approximation high bit: 0 for a first scan of its band, > 0 for a refinement.
        var ah: Int
        /// The middle of the entropy-coded data: a cut there lies past the scan's header and tables.
        var middle: Int { (start + dataEnd) / 2 }
    }

    var scans: [Scan] = []

    /// nil unless `bytes` start like a JPEG.
    init?(_ bytes: [UInt8]) {
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        var index = 2
        var open: (start: Int, ah: Int)?   // a scan whose data is being walked
        while index + 1 < bytes.count {
            guard bytes[index] == 0xFF, bytes[index + 1] != 0x00, bytes[index + 1] != 0xFF,
                  !(0xD0 ... 0xD7).contains(bytes[index + 1]) else {
                index += 1
                continue
            }
            if let scan = open {
                scans.append(Scan(start: scan.start, dataEnd: index, ah: scan.ah))
                open = nil
            }
            let marker = bytes[index + 1]
            if marker == 0xD9 || index + 3 >= bytes.count { break }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if marker == 0xDA, index + 4 < bytes.count {
                let approximation = index + 7 + 2 * Int(bytes[index + 4])
                if approximation < bytes.count { open = (index, Int(bytes[approximation] >> 4)) }
            }
            index += 2 + length
        }
        if let scan = open { scans.append(Scan(start: scan.start, dataEnd: bytes.count, ah: scan.ah)) }
    }

    /// Where the data of the last first scan ends in a progressive file: from there on only
    /// refinement scans are missing.
    var firstScansEnd: Int? {
        guard scans.contains(where: { $0.ah > 0 }) else { return nil }
        return scans.last { $0.ah == 0 }?.dataEnd
    }
}

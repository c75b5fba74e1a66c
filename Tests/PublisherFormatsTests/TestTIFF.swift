import Foundation

/// A baseline TIFF written byte by byte (little-endian, one uncompressed strip), independent of
/// libtiff, so the decoder is tested against files it did not write. `tiffcp` then makes the
/// compressed, tiled and planar variants.
struct TestTIFF {
    var width: Int
    var height: Int
    /// Samples as stored, interleaved; 16-bit samples as `UInt16` values.
    var samples: [UInt16]
    var samplesPerPixel: Int
    var bitsPerSample: Int
    /// 0 white-is-zero, 1 black-is-zero, 2 RGB, 3 palette, 5 CMYK.
    var photometric: Int
    /// ExtraSamples values (1 premultiplied alpha, 2 straight alpha).
    var extraSamples: [UInt16] = []
    var iccProfile: [UInt8]? = nil
    /// 3 × 2^bits 16-bit entries (all reds, then greens, then blues).
    var colourMap: [UInt16]? = nil

    func bytes() -> [UInt8] {
        var entries: [(tag: UInt16, type: UInt16, count: Int, values: [UInt8])] = []
        func short(_ values: [Int]) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8 & 0xFF)] } }
        func long(_ value: Int) -> [UInt8] { (0 ..< 4).map { UInt8(value >> (8 * $0) & 0xFF) } }
        let sampleBytes = bitsPerSample / 8
        let data: [UInt8] = sampleBytes == 2 ? short(samples.map(Int.init)) : samples.map { UInt8($0) }
        entries.append((256, 4, 1, long(width)))
        entries.append((257, 4, 1, long(height)))
        entries.append((258, 3, samplesPerPixel, short(Array(repeating: bitsPerSample, count: samplesPerPixel))))
        entries.append((259, 3, 1, short([1])))
        entries.append((262, 3, 1, short([photometric])))
        entries.append((273, 4, 1, []))   // strip offset, filled in below
        entries.append((277, 3, 1, short([samplesPerPixel])))
        entries.append((278, 4, 1, long(height)))
        entries.append((279, 4, 1, long(data.count)))
        entries.append((284, 3, 1, short([1])))
        if let colourMap { entries.append((320, 3, colourMap.count, short(colourMap.map(Int.init)))) }
        if !extraSamples.isEmpty { entries.append((338, 3, extraSamples.count, short(extraSamples.map(Int.init)))) }
        if let iccProfile { entries.append((34675, 7, iccProfile.count, iccProfile)) }

        let ifdSize = 2 + entries.count * 12 + 4
        var extra: [UInt8] = []
        var extraOffsets: [Int: Int] = [:]
        let extraStart = 8 + ifdSize
        for (index, entry) in entries.enumerated() where entry.values.count > 4 {
            extraOffsets[index] = extraStart + extra.count
            extra += entry.values
            if extra.count % 2 == 1 { extra.append(0) }
        }
        let stripOffset = extraStart + extra.count
        var out: [UInt8] = [0x49, 0x49, 42, 0] + long(8) + short([entries.count])
        for (index, entry) in entries.enumerated() {
            out += short([Int(entry.tag), Int(entry.type)]) + long(entry.count)
            if entry.tag == 273 {
                out += long(stripOffset)
            } else if let offset = extraOffsets[index] {
                out += long(offset)
            } else {
                out += entry.values + Array(repeating: 0, count: 4 - entry.values.count)
            }
        }
        out += long(0) + extra + data
        return out
    }

    func write(to url: URL) throws { try Data(bytes()).write(to: url) }
}

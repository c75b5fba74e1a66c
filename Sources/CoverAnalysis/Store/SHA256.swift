import Crypto
import Foundation

/// SHA-256 (FIPS 180-4) of a byte buffer, as lower-case hex or as the 32 digest bytes.
///
/// The embedding store keys covers by the hash of their bytes, so a renamed file is still a hit and
/// a changed file is a miss. swift-crypto computes it (BoringSSL's code, with the CPU's SHA
/// instructions where it has them): the round loop written out here before took 0.3–0.4 ms of
/// each 60–80 KB cover's preparation in `coverlens embed` on the Zen 2 of the README's sittings.
/// `EmbeddingStoreTests` checks the standard test vectors.
public enum SHA256 {
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hex(digest: digest(bytes))
    }

    /// SHA-256 of bytes given piece by piece, so they need not be gathered into one buffer first.
    struct Hasher {
        private var state = Crypto.SHA256()
        mutating func update(_ text: String) { state.update(data: Array(text.utf8)) }
        mutating func update(_ bytes: UnsafeRawBufferPointer) { state.update(bufferPointer: bytes) }
        /// The digest of everything given, as lower-case hexadecimal.
        func hex() -> String { SHA256.hex(digest: state.finalize()) }
    }

    /// A digest's bytes as lower-case hexadecimal.
    static func hex<Digest: Sequence>(digest: Digest) -> String where Digest.Element == UInt8 {
        let table = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest {
            text.append(table[Int(byte >> 4)])
            text.append(table[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func digest<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let hashed: Crypto.SHA256.Digest
        if let data = bytes as? Data {
            hashed = Crypto.SHA256.hash(data: data)
        } else {
            hashed = Crypto.SHA256.hash(data: [UInt8](bytes))   // no copy when `bytes` is already [UInt8]
        }
        return Array(hashed)
    }
}

import Imaging
import Networks
import Tensors
import Testing
@testable import CoverAnalysis

/// Decoding with colour management off changed for 16-bit grey files (PIL's clipping,
/// `Preprocessing.pixelRevision`): their embeddings cached under `off` by an earlier CoverLens
/// must not be found again, while `on`, whose pixels did not change, keeps every cache key.
@Suite struct PixelRevisionTests {
    static let state = StateDict([("conv1.weight", StoredTensor(Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])))])

    /// The fingerprint as it was computed before the revision existed.
    static func previousFingerprint(_ preprocessing: Preprocessing) -> String {
        var bytes = [UInt8]("resnet18|\(preprocessing.fingerprintText)|".utf8)
        bytes += Array("conv1.weight[2, 3]".utf8)
        for value: Float in [1, 2, 3, 4, 5, 6] { withUnsafeBytes(of: value) { bytes += $0 } }
        return String(SHA256.hex(bytes).prefix(32))
    }

    @Test func offRenewsItsCacheKeysOnKeepsThem() {
        let on = Preprocessing(), off = Preprocessing(colourManagement: false)
        #expect(CoverModel.fingerprint("resnet18", on, Self.state) == Self.previousFingerprint(on), "on: the same keys as before")
        #expect(CoverModel.fingerprint("resnet18", off, Self.state) != Self.previousFingerprint(off), "off: new keys")
        #expect(CoverModel.fingerprint("resnet18", off, Self.state) != CoverModel.fingerprint("resnet18", on, Self.state))
        #expect(on.pixelRevision == nil && off.pixelRevision != nil)
    }
}

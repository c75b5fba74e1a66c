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

    /// The fingerprint as it was computed before the revisions existed (with `pixelRevision`: as
    /// it was before ResNet18's embedding revision).
    static func previousFingerprint(_ preprocessing: Preprocessing, architecture: String = "efficientnet-lite0",
                                    pixelRevision: Bool = false) -> String {
        var bytes = [UInt8]("\(architecture)|\(preprocessing.fingerprintText)|".utf8)
        if pixelRevision, let revision = preprocessing.pixelRevision { bytes += Array("\(revision)|".utf8) }
        bytes += Array("conv1.weight[2, 3]".utf8)
        for value: Float in [1, 2, 3, 4, 5, 6] { withUnsafeBytes(of: value) { bytes += $0 } }
        return String(SHA256.hex(bytes).prefix(32))
    }

    @Test func offRenewsItsCacheKeysOnKeepsThem() {
        let on = Preprocessing(), off = Preprocessing(colourManagement: false)
        let lite = "efficientnet-lite0"
        #expect(CoverModel.fingerprint(lite, on, Self.state) == Self.previousFingerprint(on), "on: the same keys as before")
        #expect(CoverModel.fingerprint(lite, off, Self.state) != Self.previousFingerprint(off), "off: new keys")
        #expect(CoverModel.fingerprint(lite, off, Self.state) != CoverModel.fingerprint(lite, on, Self.state))
        #expect(on.pixelRevision == nil && off.pixelRevision != nil)
    }

    /// `--jpeg-draft on` changes the pixels, so its embeddings have keys of their own; off (every
    /// model made before the setting existed) keeps them.
    @Test func jpegDraftHasItsOwnCacheKeys() {
        let lite = "efficientnet-lite0"
        let off = Preprocessing(), on = Preprocessing(jpegDraft: true)
        #expect(CoverModel.fingerprint(lite, off, Self.state) == Self.previousFingerprint(off, pixelRevision: true))
        #expect(CoverModel.fingerprint(lite, on, Self.state) != CoverModel.fingerprint(lite, off, Self.state))
    }

    /// ResNet18 embeddings of an odd batch on two workers were wrong before the uneven batch join
    /// was fixed (4040845): every ResNet18 cache key is new, with colour management on or off,
    /// while EfficientNet-Lite0's stay as they were.
    @Test func resnet18RenewsItsCacheKeysAfterTheBatchJoinFix() {
        for preprocessing in [Preprocessing(), Preprocessing(colourManagement: false)] {
            let before = Self.previousFingerprint(preprocessing, architecture: "resnet18", pixelRevision: true)
            #expect(CoverModel.fingerprint("resnet18", preprocessing, Self.state) != before, "\(preprocessing.summary)")
            let lite = Self.previousFingerprint(preprocessing, pixelRevision: true)
            #expect(CoverModel.fingerprint("efficientnet-lite0", preprocessing, Self.state) == lite, "\(preprocessing.summary)")
        }
    }
}

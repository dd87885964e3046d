import PerchCapture
import Testing

@Suite struct InputSpecShapeTests {
    @Test func readsNHWCAndNCHWImageShapes() throws {
        let nhwc = try InputSpec(int8TensorShape: [1, 96, 64, 1], scale: 0.5, zeroPoint: -1, normalization: .zeroToOne)
        #expect(nhwc.layout == .nhwc && nhwc.height == 96 && nhwc.width == 64 && nhwc.channels == 1)
        let nchw = try InputSpec(int8TensorShape: [1, 3, 224, 200], scale: 0.5, zeroPoint: -14, normalization: .imageNet)
        #expect(nchw.layout == .nchw && nchw.height == 224 && nchw.width == 200 && nchw.channels == 3)
        #expect(nchw.zeroPoint == -14 && nchw.scale == 0.5)
    }

    @Test func refusesShapesThatAreNotOneImage() {
        #expect(throws: ImageShapeError.notAnImage(shape: [2, 8, 8, 3])) {
            try InputSpec(int8TensorShape: [2, 8, 8, 3], scale: 1, zeroPoint: 0, normalization: .zeroToOne)
        }
        #expect(throws: ImageShapeError.notAnImage(shape: [1, 10])) {
            try InputSpec(int8TensorShape: [1, 10], scale: 1, zeroPoint: 0, normalization: .zeroToOne)
        }
        #expect(throws: ImageShapeError.unsupportedChannels(4, shape: [1, 4, 8, 8])) {
            try InputSpec(int8TensorShape: [1, 4, 8, 8], scale: 1, zeroPoint: 0, normalization: .zeroToOne)
        }
    }
}

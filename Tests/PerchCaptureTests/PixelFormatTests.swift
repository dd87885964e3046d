import PerchCapture
import Testing

@Suite struct PixelFormatTests {
    @Test func fourCCRoundTrips() {
        #expect(PixelFormat.yuyv.fourCC == "YUYV")
        #expect(PixelFormat.mjpeg.fourCC == "MJPG")
        #expect(PixelFormat.grey.fourCC == "GREY")
        #expect(PixelFormat(fourCC: "YUYV") == .yuyv)
        #expect(PixelFormat(name: "gray") == .grey)
        #expect(PixelFormat(name: "bogus") == nil)
        #expect(PixelFormat(fourCC: "RGGB").isBayer)
        #expect(!PixelFormat.yuyv.isBayer)
    }
}

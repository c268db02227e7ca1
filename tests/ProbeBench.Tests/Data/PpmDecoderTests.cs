using System.Text;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Files;

namespace ProbeBench.Tests.Data;

public class PpmDecoderTests
{
    [Fact]
    public void A_header_number_longer_than_ten_digits_is_malformed_not_cut_in_two()
    {
        var image = PpmDecoder.Decode(ArchiveBuilders.Ppm(3, width: 5, height: 4), "ok.ppm", ImageDecoder.MaxPixels);
        Assert.Equal((4, 5), (image.Height, image.Width));

        // "12345678901" used to read as width 1234567890 and height 1.
        var bytes = Encoding.ASCII.GetBytes("P6\n12345678901 4\n255\n").Concat(new byte[64]).ToArray();
        Assert.Equal("The PPM image long.ppm has a malformed header.",
            Assert.Throws<ProbeBenchException>(() => PpmDecoder.Decode(bytes, "long.ppm", ImageDecoder.MaxPixels)).Message);
    }
}

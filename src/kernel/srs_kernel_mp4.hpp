// MP4 (ISO/IEC 14496-12 ISO base media file format, progressive, non-fragmented) for H.264
// (ISO/IEC 14496-15 avc1/avcC), H.265 (14496-15 hvc1/hvcC), AV1 (AV1-ISOBMFF av01/av1C), VP9
// (VP-ISOBMFF vp09/vpcC), AAC and MP3 (ISO/IEC 14496-14 mp4a/esds), Opus (Opus-ISOBMFF
// Opus/dOps), AC-3 and E-AC-3 (ETSI TS 102 366 annex F ac-3/dac3, ec-3/dec3): the DVR's .mp4 files. The track set-up
// (srs_mp4_track_set_video/_audio, srs_mp4_video_sample) and the sample entries (srs_mp4_stsd) are
// shared with the fragmented muxer. The samples go into one mdat as they arrive; the moov, which
// indexes them, is written at the end, when every sample's size, time and offset are known. No sockets: it writes
// through an ISrsSeekWriter (a file, or memory in tests).
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_codec.hpp>

#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class ISrsSeekWriter;
class SrsFormat;
struct SrsOpusConfigRecord;

// Media timescale of both tracks: FLV timestamps are milliseconds.
const uint32_t SRS_MP4_TIMESCALE = 1000;
// ftyp (32 bytes) then the mdat header with a 64-bit largesize (16 bytes, 14496-12 4.2).
const int SRS_MP4_FTYP_SIZE = 32;
const int SRS_MP4_MDAT_HEADER_SIZE = 16;
// Chunk offsets above this need co64 instead of stco (14496-12 8.7.5).
const uint64_t SRS_MP4_STCO_MAX = 0xffffffffULL;

// One sample (a video access unit or an AAC frame) in the mdat.
struct SrsMp4Sample {
    // Absolute file offset of the sample's first byte.
    uint64_t offset = 0;
    uint32_t size = 0;
    // Decoding time and composition offset (pts - dts), in the track's timescale.
    int64_t dts = 0;
    int32_t cts = 0;
    bool keyframe = false;
};

// A run of samples of one track that are contiguous in the mdat (14496-12 8.7.4).
struct SrsMp4Chunk {
    uint64_t offset = 0;
    uint32_t nb_samples = 0;
};

enum class SrsMp4TrackKind { Video, Audio };

// What the moov says about one track: its codec configuration and its sample table.
struct SrsMp4Track {
    SrsMp4TrackKind kind = SrsMp4TrackKind::Video;
    uint32_t id = 1;
    uint32_t timescale = SRS_MP4_TIMESCALE;
    // Video: the AVCDecoderConfigurationRecord (14496-15 5.3.3.1), or with hevc the
    // HEVCDecoderConfigurationRecord (8.3.3.1), and the picture size.
    std::string avcc;
    bool hevc = false;
    int width = 0;
    int height = 0;
    // Audio: the AudioSpecificConfig (14496-3 1.6.2.1), sampling rate and channels.
    std::string asc;
    int sample_rate = 44100;
    int channels = 2;
    // The codec of the sample entry. Reserved keeps the meaning of the fields above: video is
    // H.264 (or H.265 with hevc) from avcc, audio is AAC from asc. AVC/HEVC use avcc, AAC uses asc
    // whatever these say.
    SrsVideoCodecId vcodec = SrsVideoCodecIdReserved;
    SrsAudioCodecId acodec = SrsAudioCodecIdReserved;
    // The configuration box body of the other codecs: the av1C AV1CodecConfigurationRecord
    // (AV1-ISOBMFF 2.3.3), the vpcC body with its FullBox version and flags (VP-ISOBMFF 2.2), the
    // dOps body (Opus-ISOBMFF 4.3.2, see srs_mp4_opus_dops), the dac3 / dec3 body (ETSI TS 102 366
    // F.4, F.6). MP3 has none.
    std::string config;
    // MP3: MPEG-1 (1) or MPEG-2/2.5 (2), for the esds objectTypeIndication.
    int mp3_version = 1;
    std::vector<SrsMp4Sample> samples;
    std::vector<SrsMp4Chunk> chunks;

    // The duration of the last sample: the previous sample's, else one video frame at 25 fps
    // or one audio frame (AAC 1024 samples, MP3 1152, AC-3/E-AC-3 1536, Opus 20 ms).
    uint32_t last_sample_duration() const;
    // From the first sample's dts to the end of the last sample.
    uint64_t duration() const;
    // Adds a sample; it extends the last chunk when it follows that chunk's bytes directly.
    void add_sample(const SrsMp4Sample& s, bool contiguous);
};

// The boxes, each returned whole (size, type, body) for the moov builder and the tests.
std::string srs_mp4_ftyp();
// The mdat header: size 1 and the 64-bit largesize (total box size, header included).
std::string srs_mp4_mdat_header(uint64_t largesize);
std::string srs_mp4_mvhd(uint64_t duration, uint32_t next_track_id);
std::string srs_mp4_tkhd(const SrsMp4Track& t, uint64_t duration);
// An edit list when the track starts after the movie (its first dts > 0): an empty edit for
// the gap, then the media from its start, so audio and video stay in sync.
std::string srs_mp4_edts(const SrsMp4Track& t);
std::string srs_mp4_mdhd(const SrsMp4Track& t);
std::string srs_mp4_hdlr(const SrsMp4Track& t);
// The sample description: avc1/hvc1/av01/vp09 with avcC/hvcC/av1C/vpcC, mp4a (AAC or MP3) with
// esds, Opus with dOps, ac-3/ec-3 with dac3/dec3, as t.vcodec / t.acodec say (Reserved: avc1/hvc1
// and AAC as before).
std::string srs_mp4_stsd(const SrsMp4Track& t);
// AAC (objectTypeIndication 0x40 with the AudioSpecificConfig) or MP3 (0x6B MPEG-1, 0x69 MPEG-2).
std::string srs_mp4_esds(const SrsMp4Track& t);
// The dOps body (Opus-ISOBMFF 4.3.2, big-endian), whether the publisher sent dOps or an OpusHead.
std::string srs_mp4_opus_dops(const SrsOpusConfigRecord& rec);
// The video codec of a track (Reserved read as hvc1/avc1) and the audio codec (Reserved read as AAC).
SrsVideoCodecId srs_mp4_track_vcodec(const SrsMp4Track& t);
SrsAudioCodecId srs_mp4_track_acodec(const SrsMp4Track& t);
// The dac3 body (ETSI TS 102 366 F.4), sampling rate and channel count (with the LFE) of an AC-3
// syncframe (4.4.1 syncinfo, 4.4.2 bsi).
srs_error_t srs_ac3_parse_dac3(const char* data, int size, std::string* dac3, int* sample_rate, int* channels);
// The dec3 body (ETSI TS 102 366 F.6) of an E-AC-3 access unit of one independent substream
// (E.1.2 bsi), its rate and channels; an error for dependent or further substreams, which the
// one-substream dec3 written here cannot describe.
srs_error_t srs_eac3_parse_dec3(const char* data, int size, std::string* dec3, int* sample_rate, int* channels);
// The temporal unit of an AV1 sample with its temporal delimiter OBUs removed (AV1-ISOBMFF 2.4:
// "OBUs of type OBU_TEMPORAL_DELIMITER ... SHOULD NOT be used"): spans into data, appended to out.
// OBUs must carry obu_has_size_field, except the last one.
srs_error_t srs_av1_strip_temporal_delimiters(const char* data, int size, std::vector<SrsSample>* out);
std::string srs_mp4_stts(const SrsMp4Track& t);
// Empty when every composition offset is 0; version 1 (signed offsets) when any is negative.
std::string srs_mp4_ctts(const SrsMp4Track& t);
// Video only (audio samples are all sync samples): the 1-based numbers of keyframes.
std::string srs_mp4_stss(const SrsMp4Track& t);
std::string srs_mp4_stsc(const SrsMp4Track& t);
std::string srs_mp4_stsz(const SrsMp4Track& t);
// stco, or co64 when any chunk offset does not fit in 32 bits.
std::string srs_mp4_stco(const SrsMp4Track& t);
// fragmented: the trak of a fragmented file's init segment (14496-12 8.8.1: its samples are in
// the fragments, whose flags tell sync samples): empty tables, without stss, ctts and edts.
std::string srs_mp4_trak(const SrsMp4Track& t, bool fragmented = false);
// The moov of the tracks (those without samples are left out).
std::string srs_mp4_moov(const std::vector<const SrsMp4Track*>& tracks);

// The sample entry of a track, set up alike by the progressive muxer (SrsMp4Muxer, the DVR) and
// the fragmented one (SrsFmp4Muxer): which codecs MP4 carries here and how each is described is
// written once, below; a new codec is a case in these functions and in srs_mp4_stsd.
//
// Whether a video codec is carried: H.264, H.265, AV1, VP9.
bool srs_mp4_video_supported(SrsVideoCodecId id);
// The codec an audio track is described as (MP3 8 kHz is MP3), or Reserved for one that is not
// carried (FLAC, the legacy FLV codecs).
SrsAudioCodecId srs_mp4_audio_codec(SrsAudioCodecId id);
// An FLV audio tag through format, for an MP4 track: the codec MP4 carries it as, or Reserved
// when the tag does not parse or its codec has no sample entry (logged, the latter once per
// *warned, as who: "mp4", "fmp4").
SrsAudioCodecId srs_mp4_parse_audio(SrsFormat* format, int64_t timestamp, const char* data, int size, const char* who,
                                    bool* warned);
// Sets t's video sample entry (codec, avcC/hvcC or av1C/vpcC, size) from a sequence header of a
// supported codec. VP9's vpcC has no picture size: t stays incomplete until srs_mp4_video_sample
// reads a key frame's.
void srs_mp4_track_set_video(const SrsVideoCodecConfig& c, SrsMp4Track* t);
// Sets t's audio sample entry from the last audio tag the format parsed; *ready tells whether it
// could: AAC and Opus from their sequence header (the dOps from a dOps or an OpusHead), MP3 from
// its sequence header or its first frame (the format reads its header), AC-3 and E-AC-3 from a
// frame (dac3/dec3; a SequenceStart is not used). An error when the configuration does not parse.
srs_error_t srs_mp4_track_set_audio(const SrsFormat& format, SrsMp4Track* t, bool* ready);
// Whether the sample entry is complete: VP9 waits for a key frame's picture size.
bool srs_mp4_track_complete(const SrsMp4Track& t);
// Whether two tracks have the same sample entry (codec, configuration, size, rate, channels).
bool srs_mp4_track_same_entry(const SrsMp4Track& a, const SrsMp4Track& b);
// Copies the sample entry fields (not the id, timescale or samples).
void srs_mp4_track_copy_entry(const SrsMp4Track& from, SrsMp4Track* to);
// The bytes of a video sample of t's codec from a coded frame, as spans for writev: the NALUs
// each prefixed with its length in nalu_length_size bytes (14496-15 5.3.4.2; the prefixes are
// written in *prefixes, which must outlive the spans), the AV1 temporal unit without its temporal
// delimiters (AV1-ISOBMFF 2.4; the spans of the OBUs in *obus), or the VP9 frame / superframe as
// sent (VP-ISOBMFF 4), whose key frame gives an incomplete VP9 track its picture size. *size 0:
// nothing to write (not coded frames). An error for a frame that cannot be a sample.
srs_error_t srs_mp4_video_sample(const SrsVideoFrame& f, int nalu_length_size, SrsMp4Track* t,
                                 std::vector<char>* prefixes, std::vector<SrsSample>* obus, std::vector<iovec>* iovs,
                                 uint32_t* size);

// Writes an MP4 file from FLV audio/video tag bodies: open() writes ftyp and the mdat header,
// each tag appends its sample to the mdat, close() patches the mdat size and writes the moov.
// H.264/H.265/AV1/VP9 video and AAC/MP3/Opus/AC-3/E-AC-3 audio are kept; other codecs (FLAC and
// the legacy FLV ones) are dropped (logged once).
class SrsMp4Muxer {
public:
    explicit SrsMp4Muxer(ISrsSeekWriter* writer);
    ~SrsMp4Muxer();
    SRS_DISALLOW_COPY(SrsMp4Muxer);

public:
    // Writes ftyp and the mdat header at offset 0 of the writer.
    srs_error_t open();
    // An FLV video tag body (E.4.3) with its timestamp (ms): the sequence header sets the
    // track's avcC, coded frames become samples (NALUs rewritten with the avcC's length size).
    srs_error_t write_video(int64_t timestamp, const char* data, int size);
    // An FLV audio tag body (E.4.2): the AAC sequence header sets the esds, raw frames become samples.
    srs_error_t write_audio(int64_t timestamp, const char* data, int size);
    // Patches the mdat size and appends the moov. The writer is left at the file's end.
    srs_error_t close();
    // Bytes written so far (the file size).
    uint64_t position() const { return pos_; }
    const SrsMp4Track& video() const { return video_; }
    const SrsMp4Track& audio() const { return audio_; }
    // For tests of large files: pretend that many bytes are already in the mdat (the offsets
    // of later samples and the mdat size grow by it) without writing them.
    void skip_for_test(uint64_t bytes) {
        pos_ += bytes;
        last_track_ = nullptr;
    }

private:
    srs_error_t on_video_config(const SrsVideoCodecConfig& c);
    srs_error_t write_sample(SrsMp4Track* t, const std::vector<iovec>& iovs, uint32_t size, int64_t dts, int32_t cts,
                             bool keyframe);

private:
    ISrsSeekWriter* writer_;
    std::unique_ptr<SrsFormat> format_;
    SrsMp4Track video_;
    SrsMp4Track audio_;
    bool has_video_config_ = false;
    bool has_audio_config_ = false;
    uint64_t pos_ = 0;
    uint64_t mdat_offset_ = 0;
    // The track whose sample ended at pos_, for chunking.
    SrsMp4Track* last_track_ = nullptr;
    bool warned_video_ = false;
    bool warned_audio_ = false;
    // Scratch for the NALU length prefixes of a sample, and the OBUs of an AV1 sample.
    std::vector<char> prefixes_;
    std::vector<iovec> iovs_;
    std::vector<SrsSample> obus_;
};

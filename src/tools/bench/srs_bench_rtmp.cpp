#include <srs_bench_rtmp.hpp>

#include <srs_bench_mp4.hpp>

#include <srs_app_rtmp_client.hpp>

#include <srs_core_log.hpp>
#include <srs_core_st.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>
#include <srs_protocol_rtmp_stack.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <cstring>

srs_error_t SrsBenchFlvInput::load(const std::string& path, int tracks) {
    srs_error_t err = srs_success;
    SrsFileReader file;
    if ((err = file.open(path)) != srs_success) {
        return srs_error_wrap(err, "open %s", path.c_str());
    }
    if (file.filesize() > 512 * 1024 * 1024) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "%s is over 512 MiB", path.c_str());
    }
    msgs_.clear();
    char head[8] = {0};
    ssize_t nread = 0;
    if ((err = file.read(head, sizeof(head), &nread)) != srs_success) {
        return srs_error_wrap(err, "read %s", path.c_str());
    }
    if (srs_bench_is_mp4(std::string(head, nread))) {
        enhanced_ = true;
        std::string data((size_t)file.filesize(), '\0');
        memcpy(&data[0], head, nread);
        for (size_t pos = nread; pos < data.size(); pos += nread) {
            if ((err = file.read(&data[pos], data.size() - pos, &nread)) != srs_success) {
                return srs_error_wrap(err, "read %s", path.c_str());
            }
            if (nread <= 0) {
                return srs_error_new(ERROR_BENCH_OPTIONS, "%s: short read at %zu", path.c_str(), pos);
            }
        }
        if ((err = srs_bench_mp4_messages(data, tracks, &msgs_)) != srs_success) {
            return srs_error_wrap(err, "mp4 %s", path.c_str());
        }
    } else if ((err = load_flv(&file, path)) != srs_success) {
        return err;
    }
    return normalize(path);
}

srs_error_t SrsBenchFlvInput::load_flv(SrsFileReader* file, const std::string& path) {
    srs_error_t err = srs_success;
    // Read again from the start, past the bytes looked at to tell the format.
    file->close();
    if ((err = file->open(path)) != srs_success) {
        return srs_error_wrap(err, "open %s", path.c_str());
    }
    SrsFlvDecoder dec(file);
    if ((err = dec.read_header()) != srs_success) {
        return srs_error_wrap(err, "flv header of %s", path.c_str());
    }
    while (true) {
        SrsMediaMessage msg;
        if ((err = dec.read_message(&msg)) != srs_success) {
            if (srs_error_code(err) == ERROR_SYSTEM_FILE_EOF) {
                srs_error_reset(err);
                break;
            }
            return srs_error_wrap(err, "flv tag %d of %s", (int)msgs_.size(), path.c_str());
        }
        msgs_.push_back(std::move(msg));
    }
    return err;
}

srs_error_t SrsBenchFlvInput::normalize(const std::string& path) {
    srs_error_t err = srs_success;
    int64_t first = 0;
    bool has_first = false;
    int64_t last = INT64_MIN;
    int64_t first_video = -1, last_video = 0, nb_video = 0;
    int64_t first_audio = -1, last_audio = 0, nb_audio = 0;
    for (const SrsMediaMessage& m : msgs_) {
        if (!m.is_av()) {
            continue;
        }
        // The first in decode order; an MP4's edit list may put it below 0.
        if (!has_first) {
            first = m.timestamp;
            has_first = true;
        }
        last = std::max(last, m.timestamp);
        if (m.is_video()) {
            first_video = nb_video == 0 ? m.timestamp : first_video;
            last_video = m.timestamp;
            nb_video++;
        } else {
            first_audio = nb_audio == 0 ? m.timestamp : first_audio;
            last_audio = m.timestamp;
            nb_audio++;
        }
    }
    if (!has_first) {
        return srs_error_new(ERROR_BENCH_OPTIONS, "%s has no audio or video tag", path.c_str());
    }
    for (SrsMediaMessage& m : msgs_) {
        m.timestamp = std::max<int64_t>(0, m.timestamp - first);
    }
    int64_t frame = 40;
    if (nb_video > 1) {
        frame = std::max<int64_t>(1, (last_video - first_video) / (nb_video - 1));
    } else if (nb_audio > 1) {
        frame = std::max<int64_t>(1, (last_audio - first_audio) / (nb_audio - 1));
    }
    loop_duration_ = last - first + frame;
    return err;
}

namespace {

// SrsRtmpClient::connect_app with fourCcList in the command object: the FourCCs this publisher may
// send. The protocol layer's client does not announce them (yet); this is what an enhanced
// encoder's connect looks like.
srs_error_t srs_bench_connect_enhanced(SrsRtmpClient* rtmp, const std::string& app, const std::string& tc_url) {
    srs_error_t err = srs_success;
    // librtmp's and SrsRtmpClient's window.
    if ((err = rtmp->protocol()->send_window_ack_size(2500000)) != srs_success) {
        return srs_error_wrap(err, "send window ack size");
    }
    SrsConnectAppPacket pkt;
    SrsAmf0Object* obj = pkt.command_object.get();
    obj->set("app", SrsAmf0Any::str(app));
    obj->set("type", SrsAmf0Any::str("nonprivate"));
    obj->set("flashVer", SrsAmf0Any::str("FMLE/3.0 (compatible; srs_bench)"));
    obj->set("tcUrl", SrsAmf0Any::str(tc_url));
    std::unique_ptr<SrsAmf0StrictArray> list = SrsAmf0Any::strict_array();
    for (const char* fourcc : {"av01", "vp09", "hvc1", "avc1", "Opus", "mp4a"}) {
        list->append(SrsAmf0Any::str(fourcc));
    }
    obj->set("fourCcList", std::move(list));
    if ((err = rtmp->send_packet(pkt, 0)) != srs_success) {
        return srs_error_wrap(err, "send connect");
    }
    std::unique_ptr<SrsConnectAppResPacket> res;
    if ((err = rtmp->expect_packet(&res)) != srs_success) {
        return srs_error_wrap(err, "expect connect response");
    }
    if (res->command_name == SRS_CMD_ERROR) {
        return srs_error_new(ERROR_RTMP_CONNECT_REJECTED, "connect %s rejected", tc_url.c_str());
    }
    return err;
}

}  // namespace

srs_error_t srs_bench_rtmp_connect(const std::string& url, srs_utime_t timeout, SrsRtmpClientConn* conn,
                                   std::string* stream, bool enhanced) {
    srs_error_t err = srs_success;
    std::string tc_url;
    if ((err = srs_rtmp_split_url(url, &tc_url, stream)) != srs_success) {
        return srs_error_wrap(err, "rtmp url %s", url.c_str());
    }
    std::string schema, host, app, query;
    int port = SRS_DEFAULT_RTMP_PORT;
    if ((err = srs_rtmp_parse_tc_url(tc_url, &schema, &host, &port, &app, &query)) != srs_success) {
        return srs_error_wrap(err, "rtmp tcUrl %s", tc_url.c_str());
    }
    if ((err = conn->connect(host, port, timeout)) != srs_success) {
        return srs_error_wrap(err, "rtmp");
    }
    if (enhanced) {
        if ((err = srs_bench_connect_enhanced(conn->rtmp(), app, tc_url)) != srs_success) {
            return srs_error_wrap(err, "rtmp connect app %s", app.c_str());
        }
        return err;
    }
    if ((err = conn->rtmp()->connect_app(app, tc_url)) != srs_success) {
        return srs_error_wrap(err, "rtmp connect app %s", app.c_str());
    }
    return err;
}

SrsBenchRtmpPlayer::SrsBenchRtmpPlayer(SrsBenchContext* ctx, int index, const std::string& url)
    : SrsBenchClient(ctx, index, url) {}

srs_error_t SrsBenchRtmpPlayer::do_cycle() {
    srs_error_t err = srs_success;
    SrsRtmpClientConn conn;
    std::string stream;
    if ((err = srs_bench_rtmp_connect(url_, ctx_->options().timeout, &conn, &stream)) != srs_success) {
        return err;
    }
    SrsRtmpClient* rtmp = conn.rtmp();
    int stream_id = 0;
    if ((err = rtmp->create_stream(&stream_id)) != srs_success) {
        return srs_error_wrap(err, "rtmp createStream");
    }
    if ((err = rtmp->play(stream, stream_id)) != srs_success) {
        return srs_error_wrap(err, "rtmp play %s", stream.c_str());
    }
    on_connected();
    int lowat = ctx_->options().rcvlowat;
    if (lowat > 0 && setsockopt(conn.osfd(), SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)) != 0) {
        return srs_error_new(ERROR_SOCKET_READ, "setsockopt SO_RCVLOWAT %d", lowat);
    }

    while (true) {
        if ((err = pull()) != srs_success) {
            return err;
        }
        SrsMediaMessage msg;
        if ((err = rtmp->recv_message(&msg)) != srs_success) {
            return srs_error_wrap(err, "rtmp recv");
        }
        if (msg.is_av()) {
            on_media((uint32_t)msg.timestamp, rtmp->get_recv_bytes(), true);
            continue;
        }
        on_bytes(rtmp->get_recv_bytes());
        // Commands are rare (onStatus after play): look for a refusal.
        if (msg.type != SrsMsgAMF0Command && msg.type != SrsMsgAMF3Command) {
            continue;
        }
        std::unique_ptr<SrsPacket> pkt;
        if ((err = rtmp->decode_message(msg, &pkt)) != srs_success) {
            // A command we do not know is no reason to stop playing.
            srs_error_reset(err);
            continue;
        }
        std::string what;
        if (SrsOnStatusCallPacket::is_error(pkt.get(), &what)) {
            return srs_error_new(ERROR_RTMP_PLAY_REJECTED, "play %s: %s", stream.c_str(), what.c_str());
        }
    }
}

SrsBenchRtmpPublisher::SrsBenchRtmpPublisher(SrsBenchContext* ctx, int index, const std::string& url,
                                             const SrsBenchFlvInput* input)
    : SrsBenchClient(ctx, index, url), input_(input) {}

srs_error_t SrsBenchRtmpPublisher::do_cycle() {
    srs_error_t err = srs_success;
    SrsRtmpClientConn conn;
    std::string stream;
    if ((err = srs_bench_rtmp_connect(url_, ctx_->options().timeout, &conn, &stream, input_->enhanced())) !=
        srs_success) {
        return err;
    }
    SrsRtmpClient* rtmp = conn.rtmp();
    int stream_id = 0;
    // ffmpeg's and OBS's chunk size.
    if ((err = rtmp->fmle_publish(stream, &stream_id, 4096)) != srs_success) {
        return srs_error_wrap(err, "rtmp publish %s", stream.c_str());
    }
    on_connected();

    // A batch of messages due at the same moment goes out in one writev, as an encoder's
    // muxer flushes; bounded so that a burst never builds a big vector.
    const int kBatch = 16;
    SrsMediaMessage batch[kBatch];
    const std::vector<SrsMediaMessage>& msgs = input_->messages();
    srs_utime_t start = srs_update_system_time();
    for (int64_t loop = 0;; loop++) {
        int64_t base = loop * input_->loop_duration();
        size_t i = 0;
        while (i < msgs.size()) {
            if ((err = pull()) != srs_success) {
                return err;
            }
            // Wait for the next message's time on the wall clock.
            int64_t ts = base + msgs[i].timestamp;
            srs_utime_t due = start + ts * SRS_UTIME_MILLISECONDS;
            srs_utime_t now = srs_update_system_time();
            if (due > now) {
                srs_usleep(due - now);
                continue;
            }
            int n = 0;
            int nb_media = 0;
            uint32_t last_ts = 0;
            for (; i < msgs.size() && n < kBatch; i++) {
                const SrsMediaMessage& m = msgs[i];
                int64_t mts = base + m.timestamp;
                if (start + mts * SRS_UTIME_MILLISECONDS > now) {
                    break;
                }
                if (loop > 0 && m.is_script()) {
                    continue;
                }
                batch[n] = SrsMediaMessage(m.type, mts, stream_id, m.payload);
                if (m.is_av()) {
                    nb_media++;
                    last_ts = (uint32_t)mts;
                }
                n++;
            }
            if (n > 0 && (err = rtmp->send_messages(batch, n)) != srs_success) {
                return srs_error_wrap(err, "rtmp send");
            }
            for (int k = 0; k < nb_media; k++) {
                on_media(last_ts, rtmp->get_send_bytes(), false);
            }
            if (nb_media == 0) {
                on_bytes(rtmp->get_send_bytes());
            }
            for (int k = 0; k < n; k++) {
                batch[k].payload.reset();
            }
        }
    }
}

#include <srs_app_sysinfo.hpp>

#include <srs_core.hpp>
#include <srs_core_utility.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <sstream>

using json = nlohmann::ordered_json;

namespace {

std::vector<std::string> srs_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream is(text);
    std::string line;
    while (std::getline(is, line)) {
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> srs_fields(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream is(line);
    std::string f;
    while (is >> f) {
        out.push_back(f);
    }
    return out;
}

int64_t srs_wall_ms() {
    return srsu2ms(srs_get_wall_time());
}

}  // namespace

bool srs_parse_proc_self_stat(const std::string& text, SrsProcSelfStat* out) {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so it ends at the
    // last ')' (proc(5)).
    size_t lp = text.find('(');
    size_t rp = text.rfind(')');
    if (lp == std::string::npos || rp == std::string::npos || rp < lp) {
        return false;
    }
    SrsProcSelfStat s;
    if (sscanf(text.c_str(), "%d", &s.pid) != 1) {
        return false;
    }
    s.comm = text.substr(lp + 1, rp - lp - 1);

    std::istringstream is(text.substr(rp + 1));
    std::string state;
    if (!(is >> state) || state.empty()) {
        return false;
    }
    s.state = state[0];
    is >> s.ppid >> s.pgrp >> s.session >> s.tty_nr >> s.tpgid >> s.flags >> s.minflt >> s.cminflt >> s.majflt >>
        s.cmajflt >> s.utime >> s.stime >> s.cutime >> s.cstime >> s.priority >> s.nice >> s.num_threads >>
        s.itrealvalue >> s.starttime >> s.vsize >> s.rss;
    if (!is) {
        return false;
    }
    // Later fields came with later kernels; keep what is there.
    is >> s.rsslim >> s.startcode >> s.endcode >> s.startstack >> s.kstkesp >> s.kstkeip >> s.signal >> s.blocked >>
        s.sigignore >> s.sigcatch >> s.wchan >> s.nswap >> s.cnswap >> s.exit_signal >> s.processor >> s.rt_priority >>
        s.policy >> s.delayacct_blkio_ticks >> s.guest_time >> s.cguest_time;
    s.ok = true;
    s.sample_time = out->sample_time;
    s.percent = out->percent;
    *out = s;
    return true;
}

bool srs_parse_proc_system_stat(const std::string& text, SrsProcSystemStat* out) {
    for (const std::string& line : srs_lines(text)) {
        // The aggregate line is "cpu  ..."; "cpu0 ..." are the single CPUs.
        if (line.compare(0, 4, "cpu ") != 0) {
            continue;
        }
        std::istringstream is(line.substr(4));
        SrsProcSystemStat s;
        is >> s.user >> s.nice >> s.sys >> s.idle;
        if (!is) {
            return false;
        }
        is >> s.iowait >> s.irq >> s.softirq >> s.steal >> s.guest;
        s.ok = true;
        s.sample_time = out->sample_time;
        s.percent = out->percent;
        *out = s;
        return true;
    }
    return false;
}

bool srs_parse_meminfo(const std::string& text, SrsMemInfo* out) {
    SrsMemInfo m;
    bool total = false;
    for (const std::string& line : srs_lines(text)) {
        std::vector<std::string> f = srs_fields(line);
        if (f.size() < 2) {
            continue;
        }
        int64_t v = 0;
        if (!srs_parse_int64(f[1], &v)) {
            continue;
        }
        const std::string& k = f[0];
        if (k == "MemTotal:") {
            m.MemTotal = v;
            total = true;
        } else if (k == "MemFree:") {
            m.MemFree = v;
        } else if (k == "Buffers:") {
            m.Buffers = v;
        } else if (k == "Cached:") {
            m.Cached = v;
        } else if (k == "SwapTotal:") {
            m.SwapTotal = v;
        } else if (k == "SwapFree:") {
            m.SwapFree = v;
        }
    }
    if (!total || m.MemTotal <= 0) {
        return false;
    }
    m.MemActive = m.MemTotal - m.MemFree;
    m.RealInUse = m.MemActive - m.Buffers - m.Cached;
    m.NotInUse = m.MemTotal - m.RealInUse;
    m.percent_ram = (double)m.RealInUse / m.MemTotal;
    if (m.SwapTotal > 0) {
        m.percent_swap = (double)(m.SwapTotal - m.SwapFree) / m.SwapTotal;
    }
    m.ok = true;
    m.sample_time = out->sample_time;
    *out = m;
    return true;
}

bool srs_parse_uptime(const std::string& text, SrsPlatformInfo* out) {
    double up = 0, idle = 0;
    if (sscanf(text.c_str(), "%lf %lf", &up, &idle) != 2) {
        return false;
    }
    out->os_uptime = up;
    out->os_ilde_time = idle;
    return true;
}

bool srs_parse_loadavg(const std::string& text, SrsPlatformInfo* out) {
    double a = 0, b = 0, c = 0;
    if (sscanf(text.c_str(), "%lf %lf %lf", &a, &b, &c) != 3) {
        return false;
    }
    out->load_one_minutes = a;
    out->load_five_minutes = b;
    out->load_fifteen_minutes = c;
    return true;
}

bool srs_parse_net_dev(const std::string& text, std::vector<SrsNetworkDevice>* out) {
    std::vector<SrsNetworkDevice> devs;
    for (const std::string& line : srs_lines(text)) {
        // "  eth0: rbytes rpackets rerrs rdrop fifo frame compressed multicast sbytes ..."; the
        // two header lines have '|' and no counters.
        size_t colon = line.find(':');
        if (colon == std::string::npos || line.find('|') != std::string::npos) {
            continue;
        }
        SrsNetworkDevice d;
        d.name = srs_string_trim(line.substr(0, colon));
        std::vector<std::string> f = srs_fields(line.substr(colon + 1));
        if (d.name.empty() || f.size() < 12) {
            continue;
        }
        int64_t v[12];
        bool ok = true;
        for (int i = 0; i < 12 && ok; i++) {
            ok = srs_parse_int64(f[i], &v[i]);
        }
        if (!ok) {
            continue;
        }
        d.rbytes = v[0];
        d.rpackets = v[1];
        d.rerrs = v[2];
        d.rdrop = v[3];
        d.sbytes = v[8];
        d.spackets = v[9];
        d.serrs = v[10];
        d.sdrop = v[11];
        devs.push_back(d);
    }
    if (devs.empty()) {
        return false;
    }
    *out = devs;
    return true;
}

bool srs_parse_diskstats(const std::string& text, const std::set<std::string>& names, SrsDiskStat* out) {
    SrsDiskStat d;
    bool any = false;
    for (const std::string& line : srs_lines(text)) {
        // major minor name reads merged sectors_read ms writes merged sectors_written ms
        // in_flight io_ticks weighted (Documentation/admin-guide/iostats.rst).
        std::vector<std::string> f = srs_fields(line);
        if (f.size() < 14) {
            continue;
        }
        any = true;
        if (!names.count(f[2])) {
            continue;
        }
        int64_t rd = 0, wr = 0, ticks = 0;
        if (!srs_parse_int64(f[5], &rd) || !srs_parse_int64(f[9], &wr) || !srs_parse_int64(f[12], &ticks)) {
            continue;
        }
        d.rd_sectors += (uint64_t)rd;
        d.wr_sectors += (uint64_t)wr;
        d.io_ticks += (uint64_t)ticks;
    }
    if (!any) {
        return false;
    }
    out->rd_sectors = d.rd_sectors;
    out->wr_sectors = d.wr_sectors;
    out->io_ticks = d.io_ticks;
    out->ok = true;
    return true;
}

bool srs_parse_sockstat(const std::string& text, SrsSockStat* out) {
    bool tcp = false;
    for (const std::string& line : srs_lines(text)) {
        std::vector<std::string> f = srs_fields(line);
        if (f.empty()) {
            continue;
        }
        // "TCP: inuse 5 orphan 0 tw 2 alloc 8 mem 1", "UDP: inuse 3 mem 2": name value pairs.
        for (size_t i = 1; i + 1 < f.size(); i += 2) {
            int64_t v = 0;
            if (!srs_parse_int64(f[i + 1], &v)) {
                continue;
            }
            if (f[0] == "TCP:" && f[i] == "alloc") {
                out->nb_conn_sys = v;
                tcp = true;
            } else if (f[0] == "TCP:" && f[i] == "tw") {
                out->nb_conn_sys_tw = v;
            } else if (f[0] == "UDP:" && f[i] == "inuse") {
                out->nb_conn_sys_udp = v;
            }
        }
    }
    out->ok = tcp;
    return tcp;
}

bool srs_parse_net_snmp(const std::string& text, SrsSockStat* out) {
    // A "Tcp:" line of names followed by a "Tcp:" line of values.
    std::vector<std::string> names;
    for (const std::string& line : srs_lines(text)) {
        std::vector<std::string> f = srs_fields(line);
        if (f.empty() || f[0] != "Tcp:") {
            continue;
        }
        if (names.empty()) {
            names = f;
            continue;
        }
        for (size_t i = 1; i < names.size() && i < f.size(); i++) {
            int64_t v = 0;
            if (names[i] == "CurrEstab" && srs_parse_int64(f[i], &v)) {
                out->nb_conn_sys_et = v;
                return true;
            }
        }
        return false;
    }
    return false;
}

bool srs_ipv4_is_internet(uint32_t a) {
    if ((a >> 24) == 10 || (a >> 24) == 127 || (a >> 24) == 0) {
        return false;
    }
    if ((a >> 20) == ((172u << 4) | 1u)) {  // 172.16.0.0/12
        return false;
    }
    if ((a >> 16) == ((192u << 8) | 168u) || (a >> 16) == ((169u << 8) | 254u)) {
        return false;
    }
    if ((a >> 22) == ((100u << 2) | 1u)) {  // 100.64.0.0/10, carrier-grade NAT
        return false;
    }
    if ((a >> 28) >= 0xe) {  // multicast and reserved
        return false;
    }
    return true;
}

SrsSystemInfo::SrsSystemInfo(const std::string& proc_root) : proc_root_(proc_root) {
    clk_tck_ = sysconf(_SC_CLK_TCK);
    if (clk_tck_ <= 0) {
        clk_tck_ = 100;
    }
    long page = sysconf(_SC_PAGESIZE);
    page_kbyte_ = page > 0 ? page / 1024 : 4;
    nb_processors_ = (int)sysconf(_SC_NPROCESSORS_CONF);
    nb_processors_online_ = (int)sysconf(_SC_NPROCESSORS_ONLN);
}

std::string SrsSystemInfo::read(const char* name) const {
    // /proc files are generated in memory: a plain read does not block the event loop.
    std::string path = proc_root_ + "/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return "";
    }
    std::string text;
    char buf[4096];
    while (text.size() < 1024 * 1024) {
        ssize_t n = ::read(fd, buf, sizeof(buf));
        if (n <= 0) {
            break;
        }
        text.append(buf, (size_t)n);
    }
    ::close(fd);
    return text;
}

void SrsSystemInfo::set_device_internet(const std::string& name, bool internet) {
    internet_[name] = internet;
    manual_.insert(name);
}

void SrsSystemInfo::refresh_interfaces() {
    ifaddrs* ifap = nullptr;
    if (getifaddrs(&ifap) != 0) {
        return;
    }
    std::map<std::string, bool> found;
    for (ifaddrs* p = ifap; p; p = p->ifa_next) {
        if (!p->ifa_name || !p->ifa_addr || p->ifa_addr->sa_family != AF_INET) {
            continue;
        }
        uint32_t addr = ntohl(((sockaddr_in*)p->ifa_addr)->sin_addr.s_addr);
        bool& v = found[p->ifa_name];
        v = v || srs_ipv4_is_internet(addr);
    }
    freeifaddrs(ifap);
    for (auto& kv : found) {
        if (!manual_.count(kv.first)) {
            internet_[kv.first] = kv.second;
        }
    }
}

void SrsSystemInfo::sample(srs_utime_t now) {
    int64_t wall = srs_wall_ms();

    rusage_.ok = getrusage(RUSAGE_SELF, &rusage_.r) == 0;
    rusage_.sample_time = wall;

    // CPU of the server: ticks used over ticks elapsed, a fraction of one CPU.
    SrsProcSelfStat self = self_;
    if (srs_parse_proc_self_stat(read("self/stat"), &self)) {
        if (self_.ok && now > self_at_) {
            double ticks = (double)(now - self_at_) * clk_tck_ / SRS_UTIME_SECONDS;
            double used = (double)(self.utime + self.stime) - (double)(self_.utime + self_.stime);
            self.percent = ticks > 0 && used >= 0 ? used / ticks : 0;
        }
        self.sample_time = wall;
        self_ = self;
        self_at_ = now;
    } else {
        self_.ok = false;
    }

    // CPU of the system: busy ticks over all ticks, 0..1.
    SrsProcSystemStat sys = system_;
    if (srs_parse_proc_system_stat(read("stat"), &sys)) {
        if (system_.ok && sys.total() > system_.total()) {
            double total = (double)(sys.total() - system_.total());
            double idle = (double)sys.idle - (double)system_.idle;
            sys.percent = (total - idle) / total;
        }
        sys.sample_time = wall;
        system_ = sys;
    } else {
        system_.ok = false;
    }

    meminfo_.ok = srs_parse_meminfo(read("meminfo"), &meminfo_);
    meminfo_.sample_time = wall;

    platform_.ok = srs_parse_uptime(read("uptime"), &platform_);
    platform_.ok = srs_parse_loadavg(read("loadavg"), &platform_) && platform_.ok;

    refresh_interfaces();
    if (srs_parse_net_dev(read("net/dev"), &devices_)) {
        net_sample_time_ = wall;
    }

    SrsDiskStat disk = disk_;
    if (!disks_.empty() && srs_parse_diskstats(read("diskstats"), disks_, &disk)) {
        if (disk_.ok && now > disk_at_) {
            double seconds = (double)(now - disk_at_) / SRS_UTIME_SECONDS;
            // Sectors are 512 bytes whatever the device (iostats.rst).
            disk.in_KBps = (int)((double)(disk.rd_sectors - disk_.rd_sectors) / 2 / seconds);
            disk.out_KBps = (int)((double)(disk.wr_sectors - disk_.wr_sectors) / 2 / seconds);
            disk.busy = (double)(disk.io_ticks - disk_.io_ticks) / (seconds * 1000);
        }
        disk.sample_time = wall;
        disk_ = disk;
        disk_at_ = now;
    }

    SrsSockStat sock;
    srs_parse_sockstat(read("net/sockstat"), &sock);
    srs_parse_net_snmp(read("net/snmp"), &sock);
    sockets_ = sock;
}

int64_t SrsSystemInfo::self_rss_kbyte() const {
    return self_.rss * page_kbyte_;
}

json SrsSystemInfo::dumps_summaries(const SrsSummaryContext& ctx) const {
    int64_t now = srs_wall_ms();
    int64_t mem_kbyte = self_rss_kbyte();
    double mem_percent = meminfo_.MemTotal > 0 ? (double)mem_kbyte / meminfo_.MemTotal : 0;
    srs_utime_t up = srs_get_system_time() - srs_get_system_startup_time();

    // Loopback and private-address devices are the intranet; the rest the internet.
    int64_t nr = 0, ns = 0, nri = 0, nsi = 0;
    for (const SrsNetworkDevice& d : devices_) {
        auto it = internet_.find(d.name);
        bool internet = d.name != "lo" && it != internet_.end() && it->second;
        (internet ? nr : nri) += d.rbytes;
        (internet ? ns : nsi) += d.sbytes;
    }

    bool ok = rusage_.ok && self_.ok && system_.ok && meminfo_.ok && platform_.ok;
    json self = {
        {"version", SRS_VERSION_STRING},
        {"pid", getpid()},
        {"ppid", self_.ppid},
        {"argv", ctx.argv},
        {"cwd", ctx.cwd},
        {"mem_kbyte", mem_kbyte},
        {"mem_percent", mem_percent},
        {"cpu_percent", self_.percent},
        {"srs_uptime", (int64_t)srsu2s(up)},
    };
    json system = {
        {"cpu_percent", system_.percent},
        {"disk_read_KBps", disk_.in_KBps},
        {"disk_write_KBps", disk_.out_KBps},
        {"disk_busy_percent", disk_.busy},
        {"mem_ram_kbyte", meminfo_.MemTotal},
        {"mem_ram_percent", meminfo_.percent_ram},
        {"mem_swap_kbyte", meminfo_.SwapTotal},
        {"mem_swap_percent", meminfo_.percent_swap},
        {"cpus", nb_processors_},
        {"cpus_online", nb_processors_online_},
        {"uptime", platform_.os_uptime},
        // SRS's spelling, kept so existing consoles and scripts read it.
        {"ilde_time", platform_.os_ilde_time},
        {"load_1m", platform_.load_one_minutes},
        {"load_5m", platform_.load_five_minutes},
        {"load_15m", platform_.load_fifteen_minutes},
        {"net_sample_time", net_sample_time_},
        {"net_recv_bytes", nr},
        {"net_send_bytes", ns},
        {"net_recvi_bytes", nri},
        {"net_sendi_bytes", nsi},
        {"srs_sample_time", now},
        {"srs_recv_bytes", ctx.srs_recv_bytes},
        {"srs_send_bytes", ctx.srs_send_bytes},
        {"conn_sys", sockets_.nb_conn_sys},
        {"conn_sys_et", sockets_.nb_conn_sys_et},
        {"conn_sys_tw", sockets_.nb_conn_sys_tw},
        {"conn_sys_udp", sockets_.nb_conn_sys_udp},
        {"conn_srs", ctx.nb_conn_srs},
    };
    return json{{"ok", ok}, {"now_ms", now}, {"self", self}, {"system", system}};
}

json SrsSystemInfo::dumps_rusage() const {
    const rusage& r = rusage_.r;
    return json{
        {"ok", rusage_.ok},
        {"sample_time", rusage_.sample_time},
        {"ru_utime", (int64_t)r.ru_utime.tv_sec},
        {"ru_stime", (int64_t)r.ru_stime.tv_sec},
        {"ru_maxrss", r.ru_maxrss},
        {"ru_ixrss", r.ru_ixrss},
        {"ru_idrss", r.ru_idrss},
        {"ru_isrss", r.ru_isrss},
        {"ru_minflt", r.ru_minflt},
        {"ru_majflt", r.ru_majflt},
        {"ru_nswap", r.ru_nswap},
        {"ru_inblock", r.ru_inblock},
        {"ru_oublock", r.ru_oublock},
        {"ru_msgsnd", r.ru_msgsnd},
        {"ru_msgrcv", r.ru_msgrcv},
        {"ru_nsignals", r.ru_nsignals},
        {"ru_nvcsw", r.ru_nvcsw},
        {"ru_nivcsw", r.ru_nivcsw},
    };
}

json SrsSystemInfo::dumps_self_proc_stat() const {
    const SrsProcSelfStat& u = self_;
    return json{
        {"ok", u.ok},
        {"sample_time", u.sample_time},
        {"percent", u.percent},
        {"pid", u.pid},
        {"comm", u.comm},
        {"state", std::string(1, u.state)},
        {"ppid", u.ppid},
        {"pgrp", u.pgrp},
        {"session", u.session},
        {"tty_nr", u.tty_nr},
        {"tpgid", u.tpgid},
        {"flags", u.flags},
        {"minflt", u.minflt},
        {"cminflt", u.cminflt},
        {"majflt", u.majflt},
        {"cmajflt", u.cmajflt},
        {"utime", u.utime},
        {"stime", u.stime},
        {"cutime", u.cutime},
        {"cstime", u.cstime},
        {"priority", u.priority},
        {"nice", u.nice},
        {"num_threads", u.num_threads},
        {"itrealvalue", u.itrealvalue},
        {"starttime", u.starttime},
        {"vsize", u.vsize},
        {"rss", u.rss},
        {"rsslim", u.rsslim},
        {"startcode", u.startcode},
        {"endcode", u.endcode},
        {"startstack", u.startstack},
        {"kstkesp", u.kstkesp},
        {"kstkeip", u.kstkeip},
        {"signal", u.signal},
        {"blocked", u.blocked},
        {"sigignore", u.sigignore},
        {"sigcatch", u.sigcatch},
        {"wchan", u.wchan},
        {"nswap", u.nswap},
        {"cnswap", u.cnswap},
        {"exit_signal", u.exit_signal},
        {"processor", u.processor},
        {"rt_priority", u.rt_priority},
        {"policy", u.policy},
        {"delayacct_blkio_ticks", u.delayacct_blkio_ticks},
        {"guest_time", u.guest_time},
        {"cguest_time", u.cguest_time},
    };
}

json SrsSystemInfo::dumps_system_proc_stat() const {
    const SrsProcSystemStat& s = system_;
    return json{
        {"ok", s.ok},           {"sample_time", s.sample_time},
        {"percent", s.percent}, {"user", s.user},
        {"nice", s.nice},       {"sys", s.sys},
        {"idle", s.idle},       {"iowait", s.iowait},
        {"irq", s.irq},         {"softirq", s.softirq},
        {"steal", s.steal},     {"guest", s.guest},
    };
}

json SrsSystemInfo::dumps_meminfo() const {
    const SrsMemInfo& m = meminfo_;
    return json{
        {"ok", m.ok},
        {"sample_time", m.sample_time},
        {"percent_ram", m.percent_ram},
        {"percent_swap", m.percent_swap},
        {"MemActive", m.MemActive},
        {"RealInUse", m.RealInUse},
        {"NotInUse", m.NotInUse},
        {"MemTotal", m.MemTotal},
        {"MemFree", m.MemFree},
        {"Buffers", m.Buffers},
        {"Cached", m.Cached},
        {"SwapTotal", m.SwapTotal},
        {"SwapFree", m.SwapFree},
    };
}

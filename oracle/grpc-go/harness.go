// kpsim's real-kernel oracle: one grpc-go server or client, written as JSON lines.
//
// This is the project's own harness (no upstream code): it links whatever grpc-go the GOPATH
// holds (Debian's golang-google-grpc-dev, 1.33.3) and records what an application and its
// socket see, so that oracle/kernel can compare a real run with kpsim's model of the same setup.
//
// Every line on stdout is one event: {"t": ns since -epoch, "side": ..., "ev": ..., ...}.
// Events: listening, conn-begin, conn-end (stats.Handler), stream-open, send (each SendMsg and
// its result), recv (each message), recv-error (the error that ended RecvMsg), handler-ctx (the
// handler's context error once the stream ends), grpclog (grpc-go's own log lines), tcpinfo
// (the socket's TCP_INFO whenever a field of interest changes, and SO_ERROR once set), exit.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/grpclog"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/stats"
)

var (
	role    = flag.String("role", "", "server or client")
	addr    = flag.String("addr", "", "server: address to listen on; client: address to dial")
	epochNs = flag.Int64("epoch", 0, "unix time in ns that event times count from (both processes share it)")
	runFor  = flag.Duration("for", 30*time.Second, "exit after this long (from -epoch)")
	poll    = flag.Duration("poll", 2*time.Millisecond, "TCP_INFO poll interval (0: off)")
	cc      = flag.String("cc", "", "TCP_CONGESTION to set on the connection's socket, as a host whose default it is would (empty: the host's)")

	// Server keepalive and enforcement (zero: grpc-go's default; -time 0 leaves ServerParameters unset).
	sTime    = flag.Duration("time", 0, "server: ServerParameters.Time")
	sTimeout = flag.Duration("timeout", 0, "server: ServerParameters.Timeout")
	maxIdle  = flag.Duration("maxidle", 0, "server: ServerParameters.MaxConnectionIdle")
	maxAge   = flag.Duration("maxage", 0, "server: ServerParameters.MaxConnectionAge")
	grace    = flag.Duration("grace", 0, "server: ServerParameters.MaxConnectionAgeGrace")
	minTime  = flag.Duration("mintime", -1, "server: EnforcementPolicy.MinTime (-1: no policy option)")
	sPermit  = flag.Bool("permit", false, "server: EnforcementPolicy.PermitWithoutStream")
	sEvery   = flag.Duration("severy", 0, "server: send a message on each stream this often (0: never)")

	// Client keepalive (absent -ctime: WithKeepaliveParams is not called).
	cTime    = flag.Duration("ctime", 0, "client: ClientParameters.Time (0: WithKeepaliveParams not called)")
	cTimeout = flag.Duration("ctimeout", 0, "client: ClientParameters.Timeout")
	cPermit  = flag.Bool("cpermit", false, "client: ClientParameters.PermitWithoutStream")
	every    = flag.Duration("every", 0, "client: send a message this often (0: only the first)")
	sendFrom = flag.Duration("sendfrom", 0, "client: first message at this time after the stream opens")
	size     = flag.Int("size", 200, "message size in bytes (both sides)")
	noStream = flag.Bool("nostream", false, "client: connect, open no stream")
)

var out = struct {
	sync.Mutex
	enc *json.Encoder
}{enc: json.NewEncoder(os.Stdout)}

func since() int64 { return time.Now().UnixNano() - *epochNs }

// emit writes one event line; fields are added to the time, side and event name.
func emit(ev string, fields map[string]interface{}) {
	m := map[string]interface{}{"t": since(), "side": *role, "ev": ev}
	for k, v := range fields {
		m[k] = v
	}
	out.Lock()
	defer out.Unlock()
	_ = out.enc.Encode(m)
}

func errText(err error) interface{} {
	if err == nil {
		return nil
	}
	return err.Error()
}

// rawCodec moves message bytes as they are: no generated code needed. It takes the name "proto",
// grpc's default content subtype, so neither side needs a codec option.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// logWriter turns grpclog's lines into events.
type logWriter struct{ sev string }

func (w logWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		emit("grpclog", map[string]interface{}{"sev": w.sev, "msg": line})
	}
	return len(p), nil
}

// statsHandler logs each connection's begin and end.
type statsHandler struct{}

func (statsHandler) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }
func (statsHandler) HandleRPC(context.Context, stats.RPCStats)                       {}
func (statsHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}
func (statsHandler) HandleConn(_ context.Context, s stats.ConnStats) {
	switch s.(type) {
	case *stats.ConnBegin:
		emit("conn-begin", nil)
	case *stats.ConnEnd:
		emit("conn-end", nil)
	}
}

// watchSocket polls TCP_INFO on conn and emits it when a field of interest changes, and SO_ERROR
// once it is set, until the socket is closed.
func watchSocket(conn net.Conn) {
	if *poll <= 0 {
		return
	}
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	local, remote := conn.LocalAddr().String(), conn.RemoteAddr().String()
	go func() {
		var last string
		soErr := 0
		for {
			var info *unix.TCPInfo
			var ierr error
			var serr int
			cerr := raw.Control(func(fd uintptr) {
				info, ierr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
				serr, _ = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR)
			})
			if cerr != nil || ierr != nil {
				return // closed
			}
			if serr != 0 && soErr == 0 {
				soErr = serr
				emit("so-error", map[string]interface{}{"local": local, "errno": serr, "error": unix.Errno(serr).Error()})
			}
			f := map[string]interface{}{
				"local": local, "remote": remote,
				"state": info.State, "ca": info.Ca_state, "retransmits": info.Retransmits, "probes": info.Probes,
				"backoff": info.Backoff, "rto": info.Rto, "unacked": info.Unacked, "lost": info.Lost,
				"retrans": info.Retrans, "cwnd": info.Snd_cwnd, "ssthresh": info.Snd_ssthresh, "totalRetrans": info.Total_retrans,
			}
			key := fmt.Sprint(info.State, info.Ca_state, info.Retransmits, info.Probes, info.Backoff, info.Rto, info.Unacked, info.Lost, info.Retrans, info.Snd_cwnd, info.Snd_ssthresh, info.Total_retrans)
			if key != last {
				last = key
				f["rtt"] = info.Rtt
				f["rttvar"] = info.Rttvar
				emit("tcpinfo", f)
			}
			time.Sleep(*poll)
		}
	}()
}

// setCongestion gives the socket the congestion control a host with that default would: a
// network namespace may only choose from net.ipv4.tcp_allowed_congestion_control, so the
// oracle sets it per socket (as root) instead of changing the host's list.
func setCongestion(conn net.Conn) {
	tc, ok := conn.(*net.TCPConn)
	if !ok || *cc == "" {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	var serr error
	_ = raw.Control(func(fd uintptr) { serr = unix.SetsockoptString(int(fd), unix.IPPROTO_TCP, unix.TCP_CONGESTION, *cc) })
	if serr != nil {
		emit("fatal", map[string]interface{}{"error": "TCP_CONGESTION " + *cc + ": " + serr.Error()})
		os.Exit(1)
	}
}

// watchedListener reports each accepted connection to watchSocket; net.Listen's own accept (and
// so Go's default TCP keepalive on accepted sockets) is unchanged.
type watchedListener struct{ net.Listener }

func (l watchedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		setCongestion(c)
		emit("accept", map[string]interface{}{"local": c.LocalAddr().String(), "remote": c.RemoteAddr().String(), "fd": fdOf(c)})
		watchSocket(c)
	}
	return c, err
}

// emitClock reports the kernel's jiffies against CLOCK_MONOTONIC (from /proc/timer_list), so that
// a model can align its timer wheel with this run's: kernel timers fire on jiffy boundaries.
func emitClock() {
	data, err := os.ReadFile("/proc/timer_list")
	if err != nil {
		emit("clock", map[string]interface{}{"error": err.Error()})
		return
	}
	var now, jiffies int64 = -1, -1
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if now < 0 && strings.HasPrefix(line, "now at ") {
			now, _ = strconv.ParseInt(strings.Fields(line)[2], 10, 64)
		}
		if jiffies < 0 && strings.HasPrefix(line, "jiffies: ") {
			jiffies, _ = strconv.ParseInt(strings.Fields(line)[1], 10, 64)
		}
	}
	var mono unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &mono)
	emit("clock", map[string]interface{}{"jiffies": jiffies, "timerListNowNs": now, "monoNs": mono.Nano()})
}

// fdOf is the socket's file descriptor, so that the system calls a tracer records on it can be
// told apart from the process's others.
func fdOf(conn net.Conn) int {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return -1
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	_ = raw.Control(func(f uintptr) { fd = int(f) })
	return fd
}

func message(n int) []byte {
	b := make([]byte, *size)
	for i := range b {
		b[i] = byte('a' + (n+i)%26)
	}
	return b
}

func serve() error {
	var opts []grpc.ServerOption
	if *sTime != 0 || *sTimeout != 0 || *maxIdle != 0 || *maxAge != 0 || *grace != 0 {
		opts = append(opts, grpc.KeepaliveParams(keepalive.ServerParameters{
			Time: *sTime, Timeout: *sTimeout, MaxConnectionIdle: *maxIdle, MaxConnectionAge: *maxAge, MaxConnectionAgeGrace: *grace,
		}))
	}
	if *minTime >= 0 {
		opts = append(opts, grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: *minTime, PermitWithoutStream: *sPermit}))
	}
	opts = append(opts, grpc.StatsHandler(statsHandler{}))
	s := grpc.NewServer(opts...)
	handler := func(_ interface{}, stream grpc.ServerStream) error {
		emit("stream-open", nil)
		ctx := stream.Context()
		if *sEvery > 0 {
			go func() {
				t := time.NewTicker(*sEvery)
				defer t.Stop()
				for n := 0; ; n++ {
					select {
					case <-ctx.Done():
						return
					case <-t.C:
						m := message(n)
						err := stream.SendMsg(&m)
						emit("send", map[string]interface{}{"n": n, "bytes": len(m), "error": errText(err)})
						if err != nil {
							return
						}
					}
				}
			}()
		}
		for n := 0; ; n++ {
			var m []byte
			if err := stream.RecvMsg(&m); err != nil {
				emit("recv-error", map[string]interface{}{"error": errText(err), "eof": errors.Is(err, io.EOF)})
				<-ctx.Done()
				emit("handler-ctx", map[string]interface{}{"error": errText(ctx.Err())})
				return err
			}
			emit("recv", map[string]interface{}{"n": n, "bytes": len(m)})
		}
	}
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "kpsim.Harness",
		HandlerType: (*interface{})(nil),
		Streams:     []grpc.StreamDesc{{StreamName: "Stream", Handler: handler, ServerStreams: true, ClientStreams: true}},
	}, struct{}{})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	emit("listening", map[string]interface{}{"addr": ln.Addr().String()})
	go func() { _ = s.Serve(watchedListener{ln}) }()
	return nil
}

func dialAndStream() error {
	opts := []grpc.DialOption{
		grpc.WithInsecure(),
		grpc.WithStatsHandler(statsHandler{}),
		// grpc-go's own dial, as its transport does without a custom dialer, plus a watch on the socket.
		grpc.WithContextDialer(func(ctx context.Context, a string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, "tcp", a)
			if err == nil {
				setCongestion(c)
				emit("dialed", map[string]interface{}{"local": c.LocalAddr().String(), "remote": c.RemoteAddr().String(), "fd": fdOf(c)})
				watchSocket(c)
				emitClock()
			}
			return c, err
		}),
	}
	if *cTime != 0 {
		opts = append(opts, grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: *cTime, Timeout: *cTimeout, PermitWithoutStream: *cPermit}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cc, err := grpc.DialContext(ctx, *addr, append(opts, grpc.WithBlock())...)
	if err != nil {
		return err
	}
	emit("connected", nil)
	if *noStream {
		return nil
	}
	stream, err := cc.NewStream(context.Background(), &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, "/kpsim.Harness/Stream")
	if err != nil {
		return err
	}
	emit("stream-open", nil)
	go func() {
		for n := 0; ; n++ {
			var m []byte
			if err := stream.RecvMsg(&m); err != nil {
				emit("recv-error", map[string]interface{}{"error": errText(err), "eof": errors.Is(err, io.EOF)})
				return
			}
			emit("recv", map[string]interface{}{"n": n, "bytes": len(m)})
		}
	}()
	go func() {
		if *sendFrom > 0 {
			time.Sleep(*sendFrom)
		}
		// A ticker, not a sleep after each send, so message n goes at first + n*every.
		var tick *time.Ticker
		if *every > 0 {
			tick = time.NewTicker(*every)
			defer tick.Stop()
		}
		for n := 0; ; n++ {
			m := message(n)
			err := stream.SendMsg(&m)
			emit("send", map[string]interface{}{"n": n, "bytes": len(m), "error": errText(err)})
			if err != nil || tick == nil {
				return
			}
			<-tick.C
		}
	}()
	return nil
}

func main() {
	flag.Parse()
	if *epochNs == 0 {
		*epochNs = time.Now().UnixNano()
	}
	encoding.RegisterCodec(rawCodec{})
	grpclog.SetLoggerV2(grpclog.NewLoggerV2WithVerbosity(logWriter{"info"}, logWriter{"warning"}, logWriter{"error"}, 2))
	var err error
	switch *role {
	case "server":
		err = serve()
	case "client":
		err = dialAndStream()
	default:
		err = fmt.Errorf("-role must be server or client, got %q", *role)
	}
	if err != nil {
		emit("fatal", map[string]interface{}{"error": err.Error()})
		os.Exit(1)
	}
	left := time.Duration(*epochNs+runFor.Nanoseconds()-time.Now().UnixNano()) * time.Nanosecond
	time.Sleep(left)
	emit("exit", nil)
}

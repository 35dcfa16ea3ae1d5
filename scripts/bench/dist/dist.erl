%% The Erlang/OTP peer of the node-distribution benchmark (issue 18 item 5): two nodes on
%% loopback (`erl -sname`, one cookie). The serving node runs `serve` (registered processes
%% `ponger` and `sink`); the measuring node runs one benchmark against it and prints the same
%% lines as the Mesh programs (a result line, then `ms N`, measured inside the program around
%% the benchmark, connection set-up excluded):
%%
%%   pingpong  BENCH_N [100000] round trips of an Int between two processes
%%   small     BENCH_N [1000000] one-way Int messages, then one acknowledgement
%%   large     BENCH_N [10000] one-way 64 KiB string messages (binaries), then one ack
%%
%% Run: `erl -sname b -setcookie C -noshell -pa DIR -run dist serve` and
%% `erl -sname a -setcookie C -noshell -pa DIR -run dist main pingpong|small|large b@HOST`.
-module(dist).
-export([main/1, serve/0, ponger/0, sink/2]).

env_int(Name, Default) ->
    case os:getenv(Name) of
        false -> Default;
        Text -> list_to_integer(Text)
    end.

now_ms() -> erlang:monotonic_time(millisecond).

serve() ->
    register(ponger, spawn(fun ponger/0)),
    register(sink, spawn(fun() -> sink(0, undefined) end)),
    receive stop -> halt(0) end.

ponger() ->
    receive
        {From, N} -> From ! N, ponger();
        stop -> ok
    end.

%% Counts messages; `{expect, N, From}` asks for an acknowledgement once N have arrived.
sink(Count, Waiting) ->
    receive
        {expect, N, From} -> check(Count, {N, From});
        stop -> ok;
        _Msg -> check(Count + 1, Waiting)
    end.

check(Count, {N, From}) when Count >= N ->
    From ! {received, Count},
    sink(0, undefined);
check(Count, Waiting) ->
    sink(Count, Waiting).

main([Which, Peer]) ->
    Node = list_to_atom(Peer),
    pong = wait_connect(Node, 100),
    %% The peer answers `ping` before its `serve` has registered `ponger`: ask until it
    %% answers (this also warms the connection before timing).
    wait_ready({ponger, Node}, 200, Peer),
    run(list_to_atom(Which), Node),
    halt(0).

fail(Why) ->
    io:format(standard_error, "dist: ~s~n", [Why]),
    halt(2).

wait_ready(_Ponger, 0, Peer) -> fail("no answer from " ++ Peer);
wait_ready(Ponger, Tries, Peer) ->
    Ref = make_ref(),
    Ponger ! {self(), {ready, Ref}},
    receive {ready, Ref} -> ok after 50 -> wait_ready(Ponger, Tries - 1, Peer) end.

wait_connect(_Node, 0) -> pang;
wait_connect(Node, Tries) ->
    case net_adm:ping(Node) of
        pong -> pong;
        pang -> timer:sleep(50), wait_connect(Node, Tries - 1)
    end.

run(pingpong, Node) ->
    N = env_int("BENCH_N", 100000),
    Start = now_ms(),
    Sum = rounds({ponger, Node}, self(), 0, N, 0),
    io:format("sum ~b~nms ~b~n", [Sum, now_ms() - Start]);
run(small, Node) ->
    N = env_int("BENCH_N", 1000000),
    one_way(Node, N, fun(I) -> I end);
run(large, Node) ->
    N = env_int("BENCH_N", 10000),
    Text = binary:copy(<<"x">>, 65536),
    one_way(Node, N, fun(_) -> Text end).

rounds(_P, _Me, N, N, Sum) -> Sum;
rounds(P, Me, I, N, Sum) ->
    P ! {Me, I},
    receive I -> rounds(P, Me, I + 1, N, Sum + I) after 10000 -> fail("no pong") end.

one_way(Node, N, Make) ->
    Sink = {sink, Node},
    Start = now_ms(),
    Sink ! {expect, N, self()},
    send_all(Sink, Make, 0, N),
    receive {received, Count} -> ok after 600000 -> Count = fail("no acknowledgement") end,
    io:format("received ~b~nms ~b~n", [Count, now_ms() - Start]).

send_all(_Sink, _Make, N, N) -> ok;
send_all(Sink, Make, I, N) ->
    Sink ! Make(I),
    send_all(Sink, Make, I + 1, N).

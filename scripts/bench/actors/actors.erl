%% The Erlang/OTP peers of spawn.mpl, pingpong.mpl, ring.mpl and idle.mpl, with the same
%% sizes (BENCH_N, BENCH_ROUNDS) and the same output lines. Run as
%% `erl -noshell +P 2000000 -pa DIR -run actors main spawn|pingpong|ring|idle`.
-module(actors).
-export([main/1, child/1, ponger/0, ring_node/1, idler/1]).

env_int(Name, Default) ->
    case os:getenv(Name) of
        false -> Default;
        Text -> list_to_integer(Text)
    end.

now_ms() -> erlang:monotonic_time(millisecond).

main([Which]) ->
    run(list_to_atom(Which)),
    halt(0).

run(spawn) ->
    N = env_int("BENCH_N", 1000000),
    %% The mailbox fills with up to N replies while the parent is still spawning; kept on
    %% the heap, every collection of the parent would copy it (quadratic time).
    process_flag(message_queue_data, off_heap),
    Start = now_ms(),
    Me = self(),
    spawn_all(Me, N),
    Count = collect(N, 0),
    Elapsed = now_ms() - Start,
    io:format("replies ~b~nms ~b~n", [Count, Elapsed]);
run(pingpong) ->
    N = env_int("BENCH_N", 1000000),
    Start = now_ms(),
    P = spawn(fun ponger/0),
    Sum = rounds(P, self(), 0, N, 0),
    Elapsed = now_ms() - Start,
    io:format("sum ~b~nms ~b~n", [Sum, Elapsed]);
run(ring) ->
    N = env_int("BENCH_N", 10000),
    Rounds = env_int("BENCH_ROUNDS", 100),
    Start = now_ms(),
    Head = build(self(), N),
    Hops = go_round(Head, Rounds, 0),
    Elapsed = now_ms() - Start,
    io:format("hops ~b~nms ~b~n", [Hops, Elapsed]);
run(idle) ->
    N = env_int("BENCH_N", 100000),
    garbage_collect(),
    Before = rss_kb(),
    BeforeProcs = erlang:memory(processes),
    Me = self(),
    Pids = [spawn(fun() -> idler(Me) end) || _ <- lists:seq(1, N)],
    collect(N, 0),
    After = rss_kb(),
    AfterProcs = erlang:memory(processes),
    io:format("processes ~b~nbytes_per_process ~b~n", [N, (After - Before) * 1024 div N]),
    io:format("erlang_memory_processes_per_process ~b~n", [(AfterProcs - BeforeProcs) div N]),
    length(Pids).

child(Parent) -> Parent ! 1.

spawn_all(_, 0) -> ok;
spawn_all(Me, I) ->
    spawn(fun() -> child(Me) end),
    spawn_all(Me, I - 1).

collect(0, Acc) -> Acc;
collect(Left, Acc) ->
    receive X -> collect(Left - 1, Acc + X) end.

ponger() ->
    receive {From, N} -> From ! N, ponger() end.

rounds(_, _, N, N, Acc) -> Acc;
rounds(P, Me, I, N, Acc) ->
    P ! {Me, I},
    receive Got -> rounds(P, Me, I + 1, N, Acc + Got) end.

ring_node(Next) ->
    receive T -> Next ! T + 1, ring_node(Next) end.

build(Next, 0) -> Next;
build(Next, I) -> build(spawn(fun() -> ring_node(Next) end), I - 1).

go_round(_, 0, Token) -> Token;
go_round(Head, Left, Token) ->
    Head ! Token,
    receive Back -> go_round(Head, Left - 1, Back + 1) end.

idler(Parent) ->
    Parent ! 1,
    receive X -> X end.

rss_kb() ->
    {ok, Text} = file:read_file("/proc/self/status"),
    [Line] = [L || L <- binary:split(Text, <<"\n">>, [global]), binary:part(L, 0, min(6, byte_size(L))) =:= <<"VmRSS:">>],
    [_, Kb | _] = binary:split(Line, [<<" ">>, <<"\t">>], [global, trim_all]),
    binary_to_integer(Kb).

// lincheck checks a recorded concurrent history for linearizability with porcupine.
//
// Input: JSON Lines, one completed operation per line:
//
//	{"client":3,"key":"seat-17","op":"acquire","call":1200,"return":1900,"ok":true}
//
// call and return are timestamps from one monotonic clock (nanoseconds). Operations on
// different keys are independent, so the history is partitioned by key.
//
// Models:
//
//	lock  a mutex per key: acquire succeeds only when the key is free, release only for
//	      the current holder, and a failed acquire means someone else held it.
//	bids  an auction per key: the state is the highest accepted amount and whether the
//	      auction has ended. Records carry "amount" and "increment" (bid) or "winning"
//	      (close), and a rejected bid its "reason":
//	        {"client":3,"key":"a1","op":"bid","amount":700,"increment":100,"call":5,"return":9,"ok":true}
//	        {"client":3,"key":"a1","op":"bid","amount":650,"increment":100,"call":6,"return":9,"ok":false,"reason":"too-low"}
//	        {"client":0,"key":"a1","op":"close","winning":700,"call":10,"return":12,"ok":true}
//	      An accepted bid needs an open auction and amount >= highest + increment; a
//	      too-low rejection needs an open auction and amount below that; a closed
//	      rejection ends the auction (it stays ended); close returns the highest
//	      accepted amount (0: none) and ends the auction.
//
// Output: one JSON line with the verdict. Exit status 0 = linearizable, 1 = illegal,
// 2 = bad input or the check timed out (unknown).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/anishathalye/porcupine"
)

type record struct {
	Client    int    `json:"client"`
	Key       string `json:"key"`
	Op        string `json:"op"`
	Call      int64  `json:"call"`
	Return    int64  `json:"return"`
	Ok        *bool  `json:"ok"`
	Amount    int64  `json:"amount"`
	Increment int64  `json:"increment"`
	Reason    string `json:"reason"`
	Winning   int64  `json:"winning"`
}

// Operations on different keys are independent: one partition per key, in first-seen order.
func partitionByKey(keyOf func(porcupine.Operation) string) func([]porcupine.Operation) [][]porcupine.Operation {
	return func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var order []string
		for _, op := range history {
			key := keyOf(op)
			if _, seen := byKey[key]; !seen {
				order = append(order, key)
			}
			byKey[key] = append(byKey[key], op)
		}
		partitions := make([][]porcupine.Operation, 0, len(order))
		for _, key := range order {
			partitions = append(partitions, byKey[key])
		}
		return partitions
	}
}

type lockInput struct {
	key    string
	client int
	op     string
}

const free = -1

// The lock model: the state is the client that holds the key, or free.
var lockModel = porcupine.Model{
	Partition: partitionByKey(func(op porcupine.Operation) string { return op.Input.(lockInput).key }),
	Init:      func() interface{} { return free },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		holder := state.(int)
		in := input.(lockInput)
		ok := output.(bool)
		switch in.op {
		case "acquire":
			if ok {
				return holder == free, in.client
			}
			// A refused acquire is legal only while another client holds the key.
			return holder != free && holder != in.client, holder
		case "release":
			if ok {
				return holder == in.client, free
			}
			return holder != in.client, holder
		}
		return false, holder
	},
	Equal: func(a, b interface{}) bool { return a.(int) == b.(int) },
	DescribeOperation: func(input, output interface{}) string {
		in := input.(lockInput)
		return fmt.Sprintf("%s(%s, client %d) -> %v", in.op, in.key, in.client, output)
	},
}

type bidInput struct {
	key       string
	op        string
	amount    int64
	increment int64
}

type bidOutput struct {
	ok      bool
	reason  string
	winning int64
}

type auctionState struct {
	high  int64
	ended bool
}

// The bids model: one auction per key. Only an open auction accepts, and only a bid that
// beats the highest by the increment; once ended (a close, or a bid refused as closed) no
// bid is accepted again; the close reports the highest accepted amount.
var bidsModel = porcupine.Model{
	Partition: partitionByKey(func(op porcupine.Operation) string { return op.Input.(bidInput).key }),
	Init:      func() interface{} { return auctionState{} },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		s := state.(auctionState)
		in := input.(bidInput)
		out := output.(bidOutput)
		switch in.op {
		case "bid":
			beats := in.amount >= s.high+in.increment
			if out.ok {
				return !s.ended && beats, auctionState{high: in.amount, ended: false}
			}
			switch out.reason {
			case "too-low":
				return !s.ended && !beats, s
			case "closed":
				return true, auctionState{high: s.high, ended: true}
			case "not-open", "seller-cannot-bid":
				return !s.ended, s
			}
			return false, s
		case "close":
			return out.winning == s.high, auctionState{high: s.high, ended: true}
		}
		return false, s
	},
	Equal: func(a, b interface{}) bool { return a.(auctionState) == b.(auctionState) },
	DescribeOperation: func(input, output interface{}) string {
		in := input.(bidInput)
		out := output.(bidOutput)
		if in.op == "close" {
			return fmt.Sprintf("close(%s) -> %d", in.key, out.winning)
		}
		if out.ok {
			return fmt.Sprintf("bid(%s, %d) -> accepted", in.key, in.amount)
		}
		return fmt.Sprintf("bid(%s, %d) -> %s", in.key, in.amount, out.reason)
	},
}

var models = map[string]porcupine.Model{"lock": lockModel, "bids": bidsModel}

func readHistory(r io.Reader, model string) ([]porcupine.Operation, error) {
	var ops []porcupine.Operation
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 1024*1024), 1024*1024)
	line := 0
	for scanner.Scan() {
		line++
		if len(scanner.Bytes()) == 0 {
			continue
		}
		var rec record
		if err := json.Unmarshal(scanner.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if rec.Ok == nil {
			return nil, fmt.Errorf("line %d: ok must be true or false", line)
		}
		if rec.Return < rec.Call {
			return nil, fmt.Errorf("line %d: return %d is before call %d", line, rec.Return, rec.Call)
		}
		op := porcupine.Operation{ClientId: rec.Client, Call: rec.Call, Return: rec.Return}
		switch model {
		case "lock":
			if rec.Op != "acquire" && rec.Op != "release" {
				return nil, fmt.Errorf("line %d: op must be acquire or release, got %q", line, rec.Op)
			}
			op.Input = lockInput{key: rec.Key, client: rec.Client, op: rec.Op}
			op.Output = *rec.Ok
		case "bids":
			if rec.Op != "bid" && rec.Op != "close" {
				return nil, fmt.Errorf("line %d: op must be bid or close, got %q", line, rec.Op)
			}
			if rec.Op == "bid" && (rec.Amount <= 0 || rec.Increment <= 0) {
				return nil, fmt.Errorf("line %d: a bid needs a positive amount and increment", line)
			}
			if rec.Op == "bid" && !*rec.Ok && rec.Reason == "" {
				return nil, fmt.Errorf("line %d: a rejected bid needs its reason", line)
			}
			op.Input = bidInput{key: rec.Key, op: rec.Op, amount: rec.Amount, increment: rec.Increment}
			op.Output = bidOutput{ok: *rec.Ok, reason: rec.Reason, winning: rec.Winning}
		}
		ops = append(ops, op)
	}
	return ops, scanner.Err()
}

type verdict struct {
	Model      string `json:"model"`
	Result     string `json:"result"`
	Operations int    `json:"operations"`
	Error      string `json:"error,omitempty"`
}

func main() {
	model := flag.String("model", "lock", "sequential specification: lock or bids")
	timeout := flag.Duration("timeout", 60*time.Second, "give up (result unknown) after this long")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: lincheck [-model lock|bids] [-timeout 60s] <history.jsonl | ->")
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	fail := func(err error) {
		_ = out.Encode(verdict{Model: *model, Result: "error", Error: err.Error()})
		os.Exit(2)
	}
	checker, known := models[*model]
	if !known {
		fail(fmt.Errorf("unknown model %q", *model))
	}
	in := os.Stdin
	if path := flag.Arg(0); path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		in = f
	}
	ops, err := readHistory(in, *model)
	if err != nil {
		fail(err)
	}
	result := porcupine.CheckOperationsTimeout(checker, ops, *timeout)
	_ = out.Encode(verdict{Model: *model, Result: string(result), Operations: len(ops)})
	switch result {
	case porcupine.Ok:
		os.Exit(0)
	case porcupine.Illegal:
		os.Exit(1)
	default:
		os.Exit(2)
	}
}

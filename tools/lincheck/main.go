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
	Client int    `json:"client"`
	Key    string `json:"key"`
	Op     string `json:"op"`
	Call   int64  `json:"call"`
	Return int64  `json:"return"`
	Ok     *bool  `json:"ok"`
}

type lockInput struct {
	key    string
	client int
	op     string
}

const free = -1

// The lock model: the state is the client that holds the key, or free.
var lockModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var order []string
		for _, op := range history {
			key := op.Input.(lockInput).key
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
	},
	Init: func() interface{} { return free },
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

func readHistory(r io.Reader) ([]porcupine.Operation, error) {
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
		if rec.Op != "acquire" && rec.Op != "release" {
			return nil, fmt.Errorf("line %d: op must be acquire or release, got %q", line, rec.Op)
		}
		if rec.Ok == nil {
			return nil, fmt.Errorf("line %d: ok must be true or false", line)
		}
		if rec.Return < rec.Call {
			return nil, fmt.Errorf("line %d: return %d is before call %d", line, rec.Return, rec.Call)
		}
		ops = append(ops, porcupine.Operation{
			ClientId: rec.Client,
			Input:    lockInput{key: rec.Key, client: rec.Client, op: rec.Op},
			Call:     rec.Call,
			Output:   *rec.Ok,
			Return:   rec.Return,
		})
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
	model := flag.String("model", "lock", "sequential specification: lock")
	timeout := flag.Duration("timeout", 60*time.Second, "give up (result unknown) after this long")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: lincheck [-model lock] [-timeout 60s] <history.jsonl | ->")
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	fail := func(err error) {
		_ = out.Encode(verdict{Model: *model, Result: "error", Error: err.Error()})
		os.Exit(2)
	}
	if *model != "lock" {
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
	ops, err := readHistory(in)
	if err != nil {
		fail(err)
	}
	result := porcupine.CheckOperationsTimeout(lockModel, ops, *timeout)
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

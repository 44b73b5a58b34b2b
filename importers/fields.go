package importers

import (
	"reflect"
	"strings"
	"sync"
)

// fieldIndex maps a struct type's JSON field names to field indexes, so that
// one table of columns drives reading and writing every sheet.
var fieldIndexes sync.Map // reflect.Type -> map[string]int

func fieldIndex(t reflect.Type) map[string]int {
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	fieldIndexes.Store(t, m)
	return m
}

// fieldOf is the struct field of v named by its JSON name.
func fieldOf(v reflect.Value, jsonName string) reflect.Value {
	i, ok := fieldIndex(v.Type())[jsonName]
	if !ok {
		panic("importers: no field " + jsonName + " in " + v.Type().String()) // a bug in the column tables
	}
	return v.Field(i)
}

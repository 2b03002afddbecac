module github.com/kobometer/kobometer/clients/go

go 1.19

; ModuleID = 'matmul_blocked_threads'
source_filename = "matmul_blocked_threads"

; Function Attrs: nounwind
define void @matmul_blocked_threads(i8** noalias %buffers) #0 {
entry:
  %group.ptrs = alloca [3 x i8*], align 8
  %group.live = alloca [1 x i64], align 8
  %group.args = alloca [2 x [4 x i64]], align 8
  %group.threads = alloca [2 x i64], align 8
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %a.raw = load i8*, i8** %0, align 8
  %a = bitcast i8* %a.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %b.raw = load i8*, i8** %1, align 8
  %b = bitcast i8* %b.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %c.raw = load i8*, i8** %2, align 8
  %c = bitcast i8* %c.raw to float*
  br label %m.head

m.head:                                           ; preds = %n.exit, %entry
  %m = phi i64 [ 0, %entry ], [ %m.next, %n.exit ]
  %3 = icmp slt i64 %m, 8
  br i1 %3, label %m.body, label %m.exit

m.body:                                           ; preds = %m.head
  br label %n.head

m.exit:                                           ; preds = %m.head
  br label %k.o.head

n.head:                                           ; preds = %n.body, %m.body
  %n = phi i64 [ 0, %m.body ], [ %n.next, %n.body ]
  %4 = icmp slt i64 %n, 32
  br i1 %4, label %n.body, label %n.exit

n.body:                                           ; preds = %n.head
  %5 = add nuw nsw i64 0, %m
  %6 = mul nuw nsw i64 %5, 32
  %7 = add nuw nsw i64 %6, %n
  %8 = getelementptr inbounds float, float* %c, i64 %7
  store float 0.000000e+00, float* %8, align 4, !alias.scope !0, !noalias !3
  %n.next = add nuw nsw i64 %n, 1
  br label %n.head, !llvm.loop !9

n.exit:                                           ; preds = %n.head
  %m.next = add nuw nsw i64 %m, 1
  br label %m.head

k.o.head:                                         ; preds = %thread.joined, %m.exit
  %k.o = phi i64 [ 0, %m.exit ], [ %k.o.next, %thread.joined ]
  %9 = icmp slt i64 %k.o, 2
  br i1 %9, label %k.o.body, label %k.o.exit

k.o.body:                                         ; preds = %k.o.head
  %10 = getelementptr inbounds [3 x i8*], [3 x i8*]* %group.ptrs, i64 0, i64 0
  %11 = bitcast float* %a to i8*
  store i8* %11, i8** %10, align 8
  %12 = getelementptr inbounds [3 x i8*], [3 x i8*]* %group.ptrs, i64 0, i64 1
  %13 = bitcast float* %b to i8*
  store i8* %13, i8** %12, align 8
  %14 = getelementptr inbounds [3 x i8*], [3 x i8*]* %group.ptrs, i64 0, i64 2
  %15 = bitcast float* %c to i8*
  store i8* %15, i8** %14, align 8
  %16 = getelementptr inbounds [1 x i64], [1 x i64]* %group.live, i64 0, i64 0
  store i64 %k.o, i64* %16, align 4
  %17 = getelementptr inbounds [2 x [4 x i64]], [2 x [4 x i64]]* %group.args, i64 0, i64 0
  %18 = bitcast [4 x i64]* %17 to i64*
  %19 = ptrtoint [3 x i8*]* %group.ptrs to i64
  store i64 %19, i64* %18, align 4
  %20 = getelementptr inbounds i64, i64* %18, i64 1
  store i64 0, i64* %20, align 4
  %21 = getelementptr inbounds i64, i64* %18, i64 2
  store i64 2, i64* %21, align 4
  %22 = getelementptr inbounds i64, i64* %18, i64 3
  %23 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %23, i64* %22, align 4
  %24 = bitcast [4 x i64]* %17 to i8*
  %25 = getelementptr inbounds [2 x [4 x i64]], [2 x [4 x i64]]* %group.args, i64 0, i64 1
  %26 = bitcast [4 x i64]* %25 to i64*
  %27 = ptrtoint [3 x i8*]* %group.ptrs to i64
  store i64 %27, i64* %26, align 4
  %28 = getelementptr inbounds i64, i64* %26, i64 1
  store i64 1, i64* %28, align 4
  %29 = getelementptr inbounds i64, i64* %26, i64 2
  store i64 2, i64* %29, align 4
  %30 = getelementptr inbounds i64, i64* %26, i64 3
  %31 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %31, i64* %30, align 4
  %32 = bitcast [4 x i64]* %25 to i8*
  %33 = getelementptr inbounds [2 x i64], [2 x i64]* %group.threads, i64 0, i64 1
  %34 = call i32 @pthread_create(i64* %33, i8* null, i8* (i8*)* @matmul_blocked_threads.group0, i8* %32)
  %35 = icmp eq i32 %34, 0
  br i1 %35, label %thread.next, label %thread.inline

k.o.exit:                                         ; preds = %k.o.head
  ret void

thread.inline:                                    ; preds = %k.o.body
  %36 = call i8* @matmul_blocked_threads.group0(i8* %32)
  br label %thread.next

thread.next:                                      ; preds = %thread.inline, %k.o.body
  %37 = call i8* @matmul_blocked_threads.group0(i8* %24)
  br i1 %35, label %thread.join, label %thread.joined

thread.join:                                      ; preds = %thread.next
  %38 = getelementptr inbounds [2 x i64], [2 x i64]* %group.threads, i64 0, i64 1
  %39 = load i64, i64* %38, align 4
  %40 = call i32 @pthread_join(i64 %39, i8** null)
  br label %thread.joined

thread.joined:                                    ; preds = %thread.join, %thread.next
  %k.o.next = add nuw nsw i64 %k.o, 1
  br label %k.o.head
}

; Function Attrs: nounwind
define internal i8* @matmul_blocked_threads.group0(i8* %0) #0 {
entry:
  %tile = alloca <8 x float>, align 32
  %tile3 = alloca <8 x float>, align 32
  %tile6 = alloca <8 x float>, align 32
  %tile9 = alloca <8 x float>, align 32
  %tile12 = alloca <8 x float>, align 32
  %tile15 = alloca <8 x float>, align 32
  %tile18 = alloca <8 x float>, align 32
  %tile21 = alloca <8 x float>, align 32
  %1 = bitcast i8* %0 to i64*
  %2 = load i64, i64* %1, align 4
  %3 = inttoptr i64 %2 to i8**
  %4 = getelementptr inbounds i64, i64* %1, i64 1
  %tid = load i64, i64* %4, align 4
  %5 = getelementptr inbounds i64, i64* %1, i64 2
  %nthreads = load i64, i64* %5, align 4
  %6 = getelementptr inbounds i64, i64* %1, i64 3
  %7 = load i64, i64* %6, align 4
  %8 = inttoptr i64 %7 to i64*
  %9 = getelementptr inbounds i64, i64* %8, i64 0
  %k.o = load i64, i64* %9, align 4
  %10 = getelementptr inbounds i8*, i8** %3, i64 0
  %11 = load i8*, i8** %10, align 8
  %a = bitcast i8* %11 to float*
  %12 = getelementptr inbounds i8*, i8** %3, i64 1
  %13 = load i8*, i8** %12, align 8
  %b = bitcast i8* %13 to float*
  %14 = getelementptr inbounds i8*, i8** %3, i64 2
  %15 = load i8*, i8** %14, align 8
  %c = bitcast i8* %15 to float*
  %16 = sub i64 %nthreads, 1
  %17 = add i64 2, %16
  %18 = sdiv i64 %17, %nthreads
  %19 = mul i64 %tid, %18
  %20 = add i64 %19, %18
  %21 = icmp slt i64 %20, 2
  %22 = select i1 %21, i64 %20, i64 2
  %23 = icmp slt i64 %19, %22
  %24 = select i1 %23, i64 %19, i64 %22
  br label %group0.head

group0.head:                                      ; preds = %n.o.exit, %entry
  %group0 = phi i64 [ %24, %entry ], [ %group0.next, %n.o.exit ]
  %25 = icmp slt i64 %group0, %22
  br i1 %25, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %n.o.head

group0.exit:                                      ; preds = %group0.head
  ret i8* null

n.o.head:                                         ; preds = %k.i.exit, %group0.body
  %n.o = phi i64 [ 0, %group0.body ], [ %n.o.next, %k.i.exit ]
  %26 = icmp slt i64 %n.o, 2
  br i1 %26, label %n.o.body, label %n.o.exit

n.o.body:                                         ; preds = %n.o.head
  %27 = mul i64 %group0, 4
  %m = add i64 %27, 0
  %28 = mul i64 %n.o, 16
  %n = add i64 %28, 0
  %29 = add nuw nsw i64 0, %m
  %30 = mul nuw nsw i64 %29, 32
  %31 = add nuw nsw i64 %30, %n
  %32 = getelementptr inbounds float, float* %c, i64 %31
  %33 = bitcast float* %32 to <8 x float>*
  %34 = load <8 x float>, <8 x float>* %33, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %34, <8 x float>* %tile, align 32
  %35 = mul i64 %group0, 4
  %m1 = add i64 %35, 0
  %36 = mul i64 %n.o, 16
  %n2 = add i64 %36, 8
  %37 = add nuw nsw i64 0, %m1
  %38 = mul nuw nsw i64 %37, 32
  %39 = add nuw nsw i64 %38, %n2
  %40 = getelementptr inbounds float, float* %c, i64 %39
  %41 = bitcast float* %40 to <8 x float>*
  %42 = load <8 x float>, <8 x float>* %41, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %42, <8 x float>* %tile3, align 32
  %43 = mul i64 %group0, 4
  %m4 = add i64 %43, 1
  %44 = mul i64 %n.o, 16
  %n5 = add i64 %44, 0
  %45 = add nuw nsw i64 0, %m4
  %46 = mul nuw nsw i64 %45, 32
  %47 = add nuw nsw i64 %46, %n5
  %48 = getelementptr inbounds float, float* %c, i64 %47
  %49 = bitcast float* %48 to <8 x float>*
  %50 = load <8 x float>, <8 x float>* %49, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %50, <8 x float>* %tile6, align 32
  %51 = mul i64 %group0, 4
  %m7 = add i64 %51, 1
  %52 = mul i64 %n.o, 16
  %n8 = add i64 %52, 8
  %53 = add nuw nsw i64 0, %m7
  %54 = mul nuw nsw i64 %53, 32
  %55 = add nuw nsw i64 %54, %n8
  %56 = getelementptr inbounds float, float* %c, i64 %55
  %57 = bitcast float* %56 to <8 x float>*
  %58 = load <8 x float>, <8 x float>* %57, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %58, <8 x float>* %tile9, align 32
  %59 = mul i64 %group0, 4
  %m10 = add i64 %59, 2
  %60 = mul i64 %n.o, 16
  %n11 = add i64 %60, 0
  %61 = add nuw nsw i64 0, %m10
  %62 = mul nuw nsw i64 %61, 32
  %63 = add nuw nsw i64 %62, %n11
  %64 = getelementptr inbounds float, float* %c, i64 %63
  %65 = bitcast float* %64 to <8 x float>*
  %66 = load <8 x float>, <8 x float>* %65, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %66, <8 x float>* %tile12, align 32
  %67 = mul i64 %group0, 4
  %m13 = add i64 %67, 2
  %68 = mul i64 %n.o, 16
  %n14 = add i64 %68, 8
  %69 = add nuw nsw i64 0, %m13
  %70 = mul nuw nsw i64 %69, 32
  %71 = add nuw nsw i64 %70, %n14
  %72 = getelementptr inbounds float, float* %c, i64 %71
  %73 = bitcast float* %72 to <8 x float>*
  %74 = load <8 x float>, <8 x float>* %73, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %74, <8 x float>* %tile15, align 32
  %75 = mul i64 %group0, 4
  %m16 = add i64 %75, 3
  %76 = mul i64 %n.o, 16
  %n17 = add i64 %76, 0
  %77 = add nuw nsw i64 0, %m16
  %78 = mul nuw nsw i64 %77, 32
  %79 = add nuw nsw i64 %78, %n17
  %80 = getelementptr inbounds float, float* %c, i64 %79
  %81 = bitcast float* %80 to <8 x float>*
  %82 = load <8 x float>, <8 x float>* %81, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %82, <8 x float>* %tile18, align 32
  %83 = mul i64 %group0, 4
  %m19 = add i64 %83, 3
  %84 = mul i64 %n.o, 16
  %n20 = add i64 %84, 8
  %85 = add nuw nsw i64 0, %m19
  %86 = mul nuw nsw i64 %85, 32
  %87 = add nuw nsw i64 %86, %n20
  %88 = getelementptr inbounds float, float* %c, i64 %87
  %89 = bitcast float* %88 to <8 x float>*
  %90 = load <8 x float>, <8 x float>* %89, align 4, !alias.scope !0, !noalias !3
  store <8 x float> %90, <8 x float>* %tile21, align 32
  br label %k.i.head

n.o.exit:                                         ; preds = %n.o.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

k.i.head:                                         ; preds = %k.i.body, %n.o.body
  %k.i = phi i64 [ 0, %n.o.body ], [ %k.i.next, %k.i.body ]
  %91 = icmp slt i64 %k.i, 16
  br i1 %91, label %k.i.body, label %k.i.exit

k.i.body:                                         ; preds = %k.i.head
  %92 = mul i64 %k.o, 16
  %k = add i64 %92, %k.i
  %93 = mul i64 %group0, 4
  %m22 = add i64 %93, 0
  %94 = mul i64 %n.o, 16
  %n23 = add i64 %94, 0
  %95 = add nuw nsw i64 0, %k
  %96 = mul nuw nsw i64 %95, 32
  %97 = add nuw nsw i64 %96, %n23
  %98 = getelementptr inbounds float, float* %b, i64 %97
  %99 = bitcast float* %98 to <8 x float>*
  %100 = load <8 x float>, <8 x float>* %99, align 4, !alias.scope !11, !noalias !12
  %101 = add nuw nsw i64 0, %m22
  %102 = mul nuw nsw i64 %101, 32
  %103 = add nuw nsw i64 %102, %k
  %104 = getelementptr inbounds float, float* %a, i64 %103
  %105 = load float, float* %104, align 4, !alias.scope !13, !noalias !14
  %.splatinsert = insertelement <8 x float> poison, float %105, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %106 = fmul reassoc arcp contract <8 x float> %.splat, %100
  %107 = load <8 x float>, <8 x float>* %tile, align 32
  %108 = fadd reassoc arcp contract <8 x float> %107, %106
  store <8 x float> %108, <8 x float>* %tile, align 32
  %109 = mul i64 %group0, 4
  %m24 = add i64 %109, 0
  %110 = mul i64 %n.o, 16
  %n25 = add i64 %110, 8
  %111 = add nuw nsw i64 0, %k
  %112 = mul nuw nsw i64 %111, 32
  %113 = add nuw nsw i64 %112, %n25
  %114 = getelementptr inbounds float, float* %b, i64 %113
  %115 = bitcast float* %114 to <8 x float>*
  %116 = load <8 x float>, <8 x float>* %115, align 4, !alias.scope !11, !noalias !12
  %117 = add nuw nsw i64 0, %m24
  %118 = mul nuw nsw i64 %117, 32
  %119 = add nuw nsw i64 %118, %k
  %120 = getelementptr inbounds float, float* %a, i64 %119
  %121 = load float, float* %120, align 4, !alias.scope !13, !noalias !14
  %.splatinsert26 = insertelement <8 x float> poison, float %121, i32 0
  %.splat27 = shufflevector <8 x float> %.splatinsert26, <8 x float> poison, <8 x i32> zeroinitializer
  %122 = fmul reassoc arcp contract <8 x float> %.splat27, %116
  %123 = load <8 x float>, <8 x float>* %tile3, align 32
  %124 = fadd reassoc arcp contract <8 x float> %123, %122
  store <8 x float> %124, <8 x float>* %tile3, align 32
  %125 = mul i64 %group0, 4
  %m28 = add i64 %125, 1
  %126 = mul i64 %n.o, 16
  %n29 = add i64 %126, 0
  %127 = add nuw nsw i64 0, %k
  %128 = mul nuw nsw i64 %127, 32
  %129 = add nuw nsw i64 %128, %n29
  %130 = getelementptr inbounds float, float* %b, i64 %129
  %131 = bitcast float* %130 to <8 x float>*
  %132 = load <8 x float>, <8 x float>* %131, align 4, !alias.scope !11, !noalias !12
  %133 = add nuw nsw i64 0, %m28
  %134 = mul nuw nsw i64 %133, 32
  %135 = add nuw nsw i64 %134, %k
  %136 = getelementptr inbounds float, float* %a, i64 %135
  %137 = load float, float* %136, align 4, !alias.scope !13, !noalias !14
  %.splatinsert30 = insertelement <8 x float> poison, float %137, i32 0
  %.splat31 = shufflevector <8 x float> %.splatinsert30, <8 x float> poison, <8 x i32> zeroinitializer
  %138 = fmul reassoc arcp contract <8 x float> %.splat31, %132
  %139 = load <8 x float>, <8 x float>* %tile6, align 32
  %140 = fadd reassoc arcp contract <8 x float> %139, %138
  store <8 x float> %140, <8 x float>* %tile6, align 32
  %141 = mul i64 %group0, 4
  %m32 = add i64 %141, 1
  %142 = mul i64 %n.o, 16
  %n33 = add i64 %142, 8
  %143 = add nuw nsw i64 0, %k
  %144 = mul nuw nsw i64 %143, 32
  %145 = add nuw nsw i64 %144, %n33
  %146 = getelementptr inbounds float, float* %b, i64 %145
  %147 = bitcast float* %146 to <8 x float>*
  %148 = load <8 x float>, <8 x float>* %147, align 4, !alias.scope !11, !noalias !12
  %149 = add nuw nsw i64 0, %m32
  %150 = mul nuw nsw i64 %149, 32
  %151 = add nuw nsw i64 %150, %k
  %152 = getelementptr inbounds float, float* %a, i64 %151
  %153 = load float, float* %152, align 4, !alias.scope !13, !noalias !14
  %.splatinsert34 = insertelement <8 x float> poison, float %153, i32 0
  %.splat35 = shufflevector <8 x float> %.splatinsert34, <8 x float> poison, <8 x i32> zeroinitializer
  %154 = fmul reassoc arcp contract <8 x float> %.splat35, %148
  %155 = load <8 x float>, <8 x float>* %tile9, align 32
  %156 = fadd reassoc arcp contract <8 x float> %155, %154
  store <8 x float> %156, <8 x float>* %tile9, align 32
  %157 = mul i64 %group0, 4
  %m36 = add i64 %157, 2
  %158 = mul i64 %n.o, 16
  %n37 = add i64 %158, 0
  %159 = add nuw nsw i64 0, %k
  %160 = mul nuw nsw i64 %159, 32
  %161 = add nuw nsw i64 %160, %n37
  %162 = getelementptr inbounds float, float* %b, i64 %161
  %163 = bitcast float* %162 to <8 x float>*
  %164 = load <8 x float>, <8 x float>* %163, align 4, !alias.scope !11, !noalias !12
  %165 = add nuw nsw i64 0, %m36
  %166 = mul nuw nsw i64 %165, 32
  %167 = add nuw nsw i64 %166, %k
  %168 = getelementptr inbounds float, float* %a, i64 %167
  %169 = load float, float* %168, align 4, !alias.scope !13, !noalias !14
  %.splatinsert38 = insertelement <8 x float> poison, float %169, i32 0
  %.splat39 = shufflevector <8 x float> %.splatinsert38, <8 x float> poison, <8 x i32> zeroinitializer
  %170 = fmul reassoc arcp contract <8 x float> %.splat39, %164
  %171 = load <8 x float>, <8 x float>* %tile12, align 32
  %172 = fadd reassoc arcp contract <8 x float> %171, %170
  store <8 x float> %172, <8 x float>* %tile12, align 32
  %173 = mul i64 %group0, 4
  %m40 = add i64 %173, 2
  %174 = mul i64 %n.o, 16
  %n41 = add i64 %174, 8
  %175 = add nuw nsw i64 0, %k
  %176 = mul nuw nsw i64 %175, 32
  %177 = add nuw nsw i64 %176, %n41
  %178 = getelementptr inbounds float, float* %b, i64 %177
  %179 = bitcast float* %178 to <8 x float>*
  %180 = load <8 x float>, <8 x float>* %179, align 4, !alias.scope !11, !noalias !12
  %181 = add nuw nsw i64 0, %m40
  %182 = mul nuw nsw i64 %181, 32
  %183 = add nuw nsw i64 %182, %k
  %184 = getelementptr inbounds float, float* %a, i64 %183
  %185 = load float, float* %184, align 4, !alias.scope !13, !noalias !14
  %.splatinsert42 = insertelement <8 x float> poison, float %185, i32 0
  %.splat43 = shufflevector <8 x float> %.splatinsert42, <8 x float> poison, <8 x i32> zeroinitializer
  %186 = fmul reassoc arcp contract <8 x float> %.splat43, %180
  %187 = load <8 x float>, <8 x float>* %tile15, align 32
  %188 = fadd reassoc arcp contract <8 x float> %187, %186
  store <8 x float> %188, <8 x float>* %tile15, align 32
  %189 = mul i64 %group0, 4
  %m44 = add i64 %189, 3
  %190 = mul i64 %n.o, 16
  %n45 = add i64 %190, 0
  %191 = add nuw nsw i64 0, %k
  %192 = mul nuw nsw i64 %191, 32
  %193 = add nuw nsw i64 %192, %n45
  %194 = getelementptr inbounds float, float* %b, i64 %193
  %195 = bitcast float* %194 to <8 x float>*
  %196 = load <8 x float>, <8 x float>* %195, align 4, !alias.scope !11, !noalias !12
  %197 = add nuw nsw i64 0, %m44
  %198 = mul nuw nsw i64 %197, 32
  %199 = add nuw nsw i64 %198, %k
  %200 = getelementptr inbounds float, float* %a, i64 %199
  %201 = load float, float* %200, align 4, !alias.scope !13, !noalias !14
  %.splatinsert46 = insertelement <8 x float> poison, float %201, i32 0
  %.splat47 = shufflevector <8 x float> %.splatinsert46, <8 x float> poison, <8 x i32> zeroinitializer
  %202 = fmul reassoc arcp contract <8 x float> %.splat47, %196
  %203 = load <8 x float>, <8 x float>* %tile18, align 32
  %204 = fadd reassoc arcp contract <8 x float> %203, %202
  store <8 x float> %204, <8 x float>* %tile18, align 32
  %205 = mul i64 %group0, 4
  %m48 = add i64 %205, 3
  %206 = mul i64 %n.o, 16
  %n49 = add i64 %206, 8
  %207 = add nuw nsw i64 0, %k
  %208 = mul nuw nsw i64 %207, 32
  %209 = add nuw nsw i64 %208, %n49
  %210 = getelementptr inbounds float, float* %b, i64 %209
  %211 = bitcast float* %210 to <8 x float>*
  %212 = load <8 x float>, <8 x float>* %211, align 4, !alias.scope !11, !noalias !12
  %213 = add nuw nsw i64 0, %m48
  %214 = mul nuw nsw i64 %213, 32
  %215 = add nuw nsw i64 %214, %k
  %216 = getelementptr inbounds float, float* %a, i64 %215
  %217 = load float, float* %216, align 4, !alias.scope !13, !noalias !14
  %.splatinsert50 = insertelement <8 x float> poison, float %217, i32 0
  %.splat51 = shufflevector <8 x float> %.splatinsert50, <8 x float> poison, <8 x i32> zeroinitializer
  %218 = fmul reassoc arcp contract <8 x float> %.splat51, %212
  %219 = load <8 x float>, <8 x float>* %tile21, align 32
  %220 = fadd reassoc arcp contract <8 x float> %219, %218
  store <8 x float> %220, <8 x float>* %tile21, align 32
  %k.i.next = add nuw nsw i64 %k.i, 1
  br label %k.i.head

k.i.exit:                                         ; preds = %k.i.head
  %221 = mul i64 %group0, 4
  %m52 = add i64 %221, 0
  %222 = mul i64 %n.o, 16
  %n53 = add i64 %222, 0
  %223 = load <8 x float>, <8 x float>* %tile, align 32
  %224 = add nuw nsw i64 0, %m52
  %225 = mul nuw nsw i64 %224, 32
  %226 = add nuw nsw i64 %225, %n53
  %227 = getelementptr inbounds float, float* %c, i64 %226
  %228 = bitcast float* %227 to <8 x float>*
  store <8 x float> %223, <8 x float>* %228, align 4, !alias.scope !0, !noalias !3
  %229 = mul i64 %group0, 4
  %m54 = add i64 %229, 0
  %230 = mul i64 %n.o, 16
  %n55 = add i64 %230, 8
  %231 = load <8 x float>, <8 x float>* %tile3, align 32
  %232 = add nuw nsw i64 0, %m54
  %233 = mul nuw nsw i64 %232, 32
  %234 = add nuw nsw i64 %233, %n55
  %235 = getelementptr inbounds float, float* %c, i64 %234
  %236 = bitcast float* %235 to <8 x float>*
  store <8 x float> %231, <8 x float>* %236, align 4, !alias.scope !0, !noalias !3
  %237 = mul i64 %group0, 4
  %m56 = add i64 %237, 1
  %238 = mul i64 %n.o, 16
  %n57 = add i64 %238, 0
  %239 = load <8 x float>, <8 x float>* %tile6, align 32
  %240 = add nuw nsw i64 0, %m56
  %241 = mul nuw nsw i64 %240, 32
  %242 = add nuw nsw i64 %241, %n57
  %243 = getelementptr inbounds float, float* %c, i64 %242
  %244 = bitcast float* %243 to <8 x float>*
  store <8 x float> %239, <8 x float>* %244, align 4, !alias.scope !0, !noalias !3
  %245 = mul i64 %group0, 4
  %m58 = add i64 %245, 1
  %246 = mul i64 %n.o, 16
  %n59 = add i64 %246, 8
  %247 = load <8 x float>, <8 x float>* %tile9, align 32
  %248 = add nuw nsw i64 0, %m58
  %249 = mul nuw nsw i64 %248, 32
  %250 = add nuw nsw i64 %249, %n59
  %251 = getelementptr inbounds float, float* %c, i64 %250
  %252 = bitcast float* %251 to <8 x float>*
  store <8 x float> %247, <8 x float>* %252, align 4, !alias.scope !0, !noalias !3
  %253 = mul i64 %group0, 4
  %m60 = add i64 %253, 2
  %254 = mul i64 %n.o, 16
  %n61 = add i64 %254, 0
  %255 = load <8 x float>, <8 x float>* %tile12, align 32
  %256 = add nuw nsw i64 0, %m60
  %257 = mul nuw nsw i64 %256, 32
  %258 = add nuw nsw i64 %257, %n61
  %259 = getelementptr inbounds float, float* %c, i64 %258
  %260 = bitcast float* %259 to <8 x float>*
  store <8 x float> %255, <8 x float>* %260, align 4, !alias.scope !0, !noalias !3
  %261 = mul i64 %group0, 4
  %m62 = add i64 %261, 2
  %262 = mul i64 %n.o, 16
  %n63 = add i64 %262, 8
  %263 = load <8 x float>, <8 x float>* %tile15, align 32
  %264 = add nuw nsw i64 0, %m62
  %265 = mul nuw nsw i64 %264, 32
  %266 = add nuw nsw i64 %265, %n63
  %267 = getelementptr inbounds float, float* %c, i64 %266
  %268 = bitcast float* %267 to <8 x float>*
  store <8 x float> %263, <8 x float>* %268, align 4, !alias.scope !0, !noalias !3
  %269 = mul i64 %group0, 4
  %m64 = add i64 %269, 3
  %270 = mul i64 %n.o, 16
  %n65 = add i64 %270, 0
  %271 = load <8 x float>, <8 x float>* %tile18, align 32
  %272 = add nuw nsw i64 0, %m64
  %273 = mul nuw nsw i64 %272, 32
  %274 = add nuw nsw i64 %273, %n65
  %275 = getelementptr inbounds float, float* %c, i64 %274
  %276 = bitcast float* %275 to <8 x float>*
  store <8 x float> %271, <8 x float>* %276, align 4, !alias.scope !0, !noalias !3
  %277 = mul i64 %group0, 4
  %m66 = add i64 %277, 3
  %278 = mul i64 %n.o, 16
  %n67 = add i64 %278, 8
  %279 = load <8 x float>, <8 x float>* %tile21, align 32
  %280 = add nuw nsw i64 0, %m66
  %281 = mul nuw nsw i64 %280, 32
  %282 = add nuw nsw i64 %281, %n67
  %283 = getelementptr inbounds float, float* %c, i64 %282
  %284 = bitcast float* %283 to <8 x float>*
  store <8 x float> %279, <8 x float>* %284, align 4, !alias.scope !0, !noalias !3
  %n.o.next = add nuw nsw i64 %n.o, 1
  br label %n.o.head
}

declare i32 @pthread_create(i64*, i8*, i8* (i8*)*, i8*)

declare i32 @pthread_join(i64, i8**)

attributes #0 = { nounwind }

!0 = !{!1}
!1 = distinct !{!1, !2, !"c"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8}
!4 = distinct !{!4, !2, !"a"}
!5 = distinct !{!5, !2, !"a.pack"}
!6 = distinct !{!6, !2, !"b"}
!7 = distinct !{!7, !2, !"b.pack"}
!8 = distinct !{!8, !2, !"c.pack"}
!9 = distinct !{!9, !10}
!10 = !{!"llvm.loop.vectorize.enable", i1 true}
!11 = !{!6}
!12 = !{!4, !5, !7, !1, !8}
!13 = !{!4}
!14 = !{!5, !6, !7, !1, !8}

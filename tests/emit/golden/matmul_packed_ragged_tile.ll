; ModuleID = 'matmul_packed_ragged_tile'
source_filename = "matmul_packed_ragged_tile"

; Function Attrs: nounwind
define void @matmul_packed_ragged_tile(i8** noalias %buffers) #0 {
entry:
  %tile = alloca <8 x float>, align 32
  %tile4 = alloca <8 x float>, align 32
  %tile8 = alloca <8 x float>, align 32
  %tile12 = alloca <8 x float>, align 32
  %tile16 = alloca <8 x float>, align 32
  %tile20 = alloca <8 x float>, align 32
  %tile24 = alloca <8 x float>, align 32
  %tile28 = alloca <8 x float>, align 32
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %a.raw = load i8*, i8** %0, align 8
  %a = bitcast i8* %a.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %b.raw = load i8*, i8** %1, align 8
  %b = bitcast i8* %b.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %c.raw = load i8*, i8** %2, align 8
  %c = bitcast i8* %c.raw to float*
  %3 = getelementptr inbounds i8*, i8** %buffers, i64 3
  %axon.scratch = load i8*, i8** %3, align 8
  %4 = getelementptr inbounds i8, i8* %axon.scratch, i64 0
  %b.pack = bitcast i8* %4 to float*
  br label %b.pk.o.head

b.pk.o.head:                                      ; preds = %b.pk.d0.exit, %entry
  %b.pk.o = phi i64 [ 0, %entry ], [ %b.pk.o.next, %b.pk.d0.exit ]
  %5 = icmp slt i64 %b.pk.o, 2
  br i1 %5, label %b.pk.o.body, label %b.pk.o.exit

b.pk.o.body:                                      ; preds = %b.pk.o.head
  br label %b.pk.d0.head

b.pk.o.exit:                                      ; preds = %b.pk.o.head
  br label %group0.head

b.pk.d0.head:                                     ; preds = %b.pk.i.exit, %b.pk.o.body
  %b.pk.d0 = phi i64 [ 0, %b.pk.o.body ], [ %b.pk.d0.next, %b.pk.i.exit ]
  %6 = icmp slt i64 %b.pk.d0, 8
  br i1 %6, label %b.pk.d0.body, label %b.pk.d0.exit

b.pk.d0.body:                                     ; preds = %b.pk.d0.head
  %7 = add i64 0, %b.pk.d0
  %8 = mul i64 %b.pk.d0, 32
  %9 = add i64 0, %8
  br label %b.pk.i.head

b.pk.d0.exit:                                     ; preds = %b.pk.d0.head
  %b.pk.o.next = add nuw nsw i64 %b.pk.o, 1
  br label %b.pk.o.head

b.pk.i.head:                                      ; preds = %b.pk.i.body, %b.pk.d0.body
  %b.pk.i = phi i64 [ 0, %b.pk.d0.body ], [ %b.pk.i.next, %b.pk.i.body ]
  %10 = icmp slt i64 %b.pk.i, 16
  br i1 %10, label %b.pk.i.body, label %b.pk.i.exit

b.pk.i.body:                                      ; preds = %b.pk.i.head
  %11 = mul i64 %b.pk.o, 16
  %12 = add i64 %11, %b.pk.i
  %13 = mul i64 %12, 1
  %14 = add i64 %9, %13
  %15 = mul i64 %b.pk.o, 8
  %16 = add i64 %15, %7
  %17 = mul i64 %16, 16
  %18 = add i64 %17, %b.pk.i
  %19 = getelementptr inbounds float, float* %b, i64 %14
  %20 = load float, float* %19, align 4, !alias.scope !0, !noalias !3
  %21 = getelementptr inbounds float, float* %b.pack, i64 %18
  store float %20, float* %21, align 4, !alias.scope !10, !noalias !11
  %b.pk.i.next = add nuw nsw i64 %b.pk.i, 1
  br label %b.pk.i.head, !llvm.loop !12

b.pk.i.exit:                                      ; preds = %b.pk.i.head
  %b.pk.d0.next = add nuw nsw i64 %b.pk.d0, 1
  br label %b.pk.d0.head

group0.head:                                      ; preds = %n.o.exit, %b.pk.o.exit
  %group0 = phi i64 [ 0, %b.pk.o.exit ], [ %group0.next, %n.o.exit ]
  %22 = icmp slt i64 %group0, 3
  br i1 %22, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %23 = mul i64 %group0, 4
  br label %n.o.head

group0.exit:                                      ; preds = %group0.head
  ret void

n.o.head:                                         ; preds = %rtile.row.done104, %group0.body
  %n.o = phi i64 [ 0, %group0.body ], [ %n.o.next, %rtile.row.done104 ]
  %24 = icmp slt i64 %n.o, 2
  br i1 %24, label %n.o.body, label %n.o.exit

n.o.body:                                         ; preds = %n.o.head
  %25 = mul i64 %group0, 4
  %m = add i64 %25, 0
  %26 = icmp slt i64 %m, 10
  %m.clamped = select i1 %26, i64 %m, i64 9
  %27 = mul i64 %n.o, 16
  %n = add i64 %27, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile, align 32
  %28 = mul i64 %group0, 4
  %m1 = add i64 %28, 0
  %29 = icmp slt i64 %m1, 10
  %m.clamped2 = select i1 %29, i64 %m1, i64 9
  %30 = mul i64 %n.o, 16
  %n3 = add i64 %30, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile4, align 32
  %31 = mul i64 %group0, 4
  %m5 = add i64 %31, 1
  %32 = icmp slt i64 %m5, 10
  %m.clamped6 = select i1 %32, i64 %m5, i64 9
  %33 = mul i64 %n.o, 16
  %n7 = add i64 %33, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile8, align 32
  %34 = mul i64 %group0, 4
  %m9 = add i64 %34, 1
  %35 = icmp slt i64 %m9, 10
  %m.clamped10 = select i1 %35, i64 %m9, i64 9
  %36 = mul i64 %n.o, 16
  %n11 = add i64 %36, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile12, align 32
  %37 = mul i64 %group0, 4
  %m13 = add i64 %37, 2
  %38 = icmp slt i64 %m13, 10
  %m.clamped14 = select i1 %38, i64 %m13, i64 9
  %39 = mul i64 %n.o, 16
  %n15 = add i64 %39, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile16, align 32
  %40 = mul i64 %group0, 4
  %m17 = add i64 %40, 2
  %41 = icmp slt i64 %m17, 10
  %m.clamped18 = select i1 %41, i64 %m17, i64 9
  %42 = mul i64 %n.o, 16
  %n19 = add i64 %42, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile20, align 32
  %43 = mul i64 %group0, 4
  %m21 = add i64 %43, 3
  %44 = icmp slt i64 %m21, 10
  %m.clamped22 = select i1 %44, i64 %m21, i64 9
  %45 = mul i64 %n.o, 16
  %n23 = add i64 %45, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile24, align 32
  %46 = mul i64 %group0, 4
  %m25 = add i64 %46, 3
  %47 = icmp slt i64 %m25, 10
  %m.clamped26 = select i1 %47, i64 %m25, i64 9
  %48 = mul i64 %n.o, 16
  %n27 = add i64 %48, 8
  store <8 x float> zeroinitializer, <8 x float>* %tile28, align 32
  br label %k.head

n.o.exit:                                         ; preds = %n.o.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

k.head:                                           ; preds = %k.body, %n.o.body
  %k = phi i64 [ 0, %n.o.body ], [ %k.next, %k.body ]
  %49 = icmp slt i64 %k, 8
  br i1 %49, label %k.body, label %k.exit

k.body:                                           ; preds = %k.head
  %50 = mul i64 %group0, 4
  %m29 = add i64 %50, 0
  %51 = icmp slt i64 %m29, 10
  %m.clamped30 = select i1 %51, i64 %m29, i64 9
  %52 = mul i64 %n.o, 16
  %n31 = add i64 %52, 0
  %53 = add i64 0, %k
  %54 = mul i64 %n.o, 8
  %55 = add i64 %54, %53
  %56 = mul i64 %55, 16
  %57 = add i64 %56, 0
  %58 = getelementptr inbounds float, float* %b.pack, i64 %57
  %59 = bitcast float* %58 to <8 x float>*
  %60 = load <8 x float>, <8 x float>* %59, align 4, !alias.scope !10, !noalias !11
  %61 = add nuw nsw i64 0, %m.clamped30
  %62 = mul nuw nsw i64 %61, 8
  %63 = add nuw nsw i64 %62, %k
  %64 = getelementptr inbounds float, float* %a, i64 %63
  %65 = load float, float* %64, align 4, !alias.scope !14, !noalias !15
  %.splatinsert = insertelement <8 x float> poison, float %65, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %66 = fmul reassoc arcp contract <8 x float> %.splat, %60
  %67 = load <8 x float>, <8 x float>* %tile, align 32
  %68 = fadd reassoc arcp contract <8 x float> %67, %66
  store <8 x float> %68, <8 x float>* %tile, align 32
  %69 = mul i64 %group0, 4
  %m32 = add i64 %69, 0
  %70 = icmp slt i64 %m32, 10
  %m.clamped33 = select i1 %70, i64 %m32, i64 9
  %71 = mul i64 %n.o, 16
  %n34 = add i64 %71, 8
  %72 = add i64 0, %k
  %73 = mul i64 %n.o, 8
  %74 = add i64 %73, %72
  %75 = mul i64 %74, 16
  %76 = add i64 %75, 8
  %77 = getelementptr inbounds float, float* %b.pack, i64 %76
  %78 = bitcast float* %77 to <8 x float>*
  %79 = load <8 x float>, <8 x float>* %78, align 4, !alias.scope !10, !noalias !11
  %80 = add nuw nsw i64 0, %m.clamped33
  %81 = mul nuw nsw i64 %80, 8
  %82 = add nuw nsw i64 %81, %k
  %83 = getelementptr inbounds float, float* %a, i64 %82
  %84 = load float, float* %83, align 4, !alias.scope !14, !noalias !15
  %.splatinsert35 = insertelement <8 x float> poison, float %84, i32 0
  %.splat36 = shufflevector <8 x float> %.splatinsert35, <8 x float> poison, <8 x i32> zeroinitializer
  %85 = fmul reassoc arcp contract <8 x float> %.splat36, %79
  %86 = load <8 x float>, <8 x float>* %tile4, align 32
  %87 = fadd reassoc arcp contract <8 x float> %86, %85
  store <8 x float> %87, <8 x float>* %tile4, align 32
  %88 = mul i64 %group0, 4
  %m37 = add i64 %88, 1
  %89 = icmp slt i64 %m37, 10
  %m.clamped38 = select i1 %89, i64 %m37, i64 9
  %90 = mul i64 %n.o, 16
  %n39 = add i64 %90, 0
  %91 = add i64 0, %k
  %92 = mul i64 %n.o, 8
  %93 = add i64 %92, %91
  %94 = mul i64 %93, 16
  %95 = add i64 %94, 0
  %96 = getelementptr inbounds float, float* %b.pack, i64 %95
  %97 = bitcast float* %96 to <8 x float>*
  %98 = load <8 x float>, <8 x float>* %97, align 4, !alias.scope !10, !noalias !11
  %99 = add nuw nsw i64 0, %m.clamped38
  %100 = mul nuw nsw i64 %99, 8
  %101 = add nuw nsw i64 %100, %k
  %102 = getelementptr inbounds float, float* %a, i64 %101
  %103 = load float, float* %102, align 4, !alias.scope !14, !noalias !15
  %.splatinsert40 = insertelement <8 x float> poison, float %103, i32 0
  %.splat41 = shufflevector <8 x float> %.splatinsert40, <8 x float> poison, <8 x i32> zeroinitializer
  %104 = fmul reassoc arcp contract <8 x float> %.splat41, %98
  %105 = load <8 x float>, <8 x float>* %tile8, align 32
  %106 = fadd reassoc arcp contract <8 x float> %105, %104
  store <8 x float> %106, <8 x float>* %tile8, align 32
  %107 = mul i64 %group0, 4
  %m42 = add i64 %107, 1
  %108 = icmp slt i64 %m42, 10
  %m.clamped43 = select i1 %108, i64 %m42, i64 9
  %109 = mul i64 %n.o, 16
  %n44 = add i64 %109, 8
  %110 = add i64 0, %k
  %111 = mul i64 %n.o, 8
  %112 = add i64 %111, %110
  %113 = mul i64 %112, 16
  %114 = add i64 %113, 8
  %115 = getelementptr inbounds float, float* %b.pack, i64 %114
  %116 = bitcast float* %115 to <8 x float>*
  %117 = load <8 x float>, <8 x float>* %116, align 4, !alias.scope !10, !noalias !11
  %118 = add nuw nsw i64 0, %m.clamped43
  %119 = mul nuw nsw i64 %118, 8
  %120 = add nuw nsw i64 %119, %k
  %121 = getelementptr inbounds float, float* %a, i64 %120
  %122 = load float, float* %121, align 4, !alias.scope !14, !noalias !15
  %.splatinsert45 = insertelement <8 x float> poison, float %122, i32 0
  %.splat46 = shufflevector <8 x float> %.splatinsert45, <8 x float> poison, <8 x i32> zeroinitializer
  %123 = fmul reassoc arcp contract <8 x float> %.splat46, %117
  %124 = load <8 x float>, <8 x float>* %tile12, align 32
  %125 = fadd reassoc arcp contract <8 x float> %124, %123
  store <8 x float> %125, <8 x float>* %tile12, align 32
  %126 = mul i64 %group0, 4
  %m47 = add i64 %126, 2
  %127 = icmp slt i64 %m47, 10
  %m.clamped48 = select i1 %127, i64 %m47, i64 9
  %128 = mul i64 %n.o, 16
  %n49 = add i64 %128, 0
  %129 = add i64 0, %k
  %130 = mul i64 %n.o, 8
  %131 = add i64 %130, %129
  %132 = mul i64 %131, 16
  %133 = add i64 %132, 0
  %134 = getelementptr inbounds float, float* %b.pack, i64 %133
  %135 = bitcast float* %134 to <8 x float>*
  %136 = load <8 x float>, <8 x float>* %135, align 4, !alias.scope !10, !noalias !11
  %137 = add nuw nsw i64 0, %m.clamped48
  %138 = mul nuw nsw i64 %137, 8
  %139 = add nuw nsw i64 %138, %k
  %140 = getelementptr inbounds float, float* %a, i64 %139
  %141 = load float, float* %140, align 4, !alias.scope !14, !noalias !15
  %.splatinsert50 = insertelement <8 x float> poison, float %141, i32 0
  %.splat51 = shufflevector <8 x float> %.splatinsert50, <8 x float> poison, <8 x i32> zeroinitializer
  %142 = fmul reassoc arcp contract <8 x float> %.splat51, %136
  %143 = load <8 x float>, <8 x float>* %tile16, align 32
  %144 = fadd reassoc arcp contract <8 x float> %143, %142
  store <8 x float> %144, <8 x float>* %tile16, align 32
  %145 = mul i64 %group0, 4
  %m52 = add i64 %145, 2
  %146 = icmp slt i64 %m52, 10
  %m.clamped53 = select i1 %146, i64 %m52, i64 9
  %147 = mul i64 %n.o, 16
  %n54 = add i64 %147, 8
  %148 = add i64 0, %k
  %149 = mul i64 %n.o, 8
  %150 = add i64 %149, %148
  %151 = mul i64 %150, 16
  %152 = add i64 %151, 8
  %153 = getelementptr inbounds float, float* %b.pack, i64 %152
  %154 = bitcast float* %153 to <8 x float>*
  %155 = load <8 x float>, <8 x float>* %154, align 4, !alias.scope !10, !noalias !11
  %156 = add nuw nsw i64 0, %m.clamped53
  %157 = mul nuw nsw i64 %156, 8
  %158 = add nuw nsw i64 %157, %k
  %159 = getelementptr inbounds float, float* %a, i64 %158
  %160 = load float, float* %159, align 4, !alias.scope !14, !noalias !15
  %.splatinsert55 = insertelement <8 x float> poison, float %160, i32 0
  %.splat56 = shufflevector <8 x float> %.splatinsert55, <8 x float> poison, <8 x i32> zeroinitializer
  %161 = fmul reassoc arcp contract <8 x float> %.splat56, %155
  %162 = load <8 x float>, <8 x float>* %tile20, align 32
  %163 = fadd reassoc arcp contract <8 x float> %162, %161
  store <8 x float> %163, <8 x float>* %tile20, align 32
  %164 = mul i64 %group0, 4
  %m57 = add i64 %164, 3
  %165 = icmp slt i64 %m57, 10
  %m.clamped58 = select i1 %165, i64 %m57, i64 9
  %166 = mul i64 %n.o, 16
  %n59 = add i64 %166, 0
  %167 = add i64 0, %k
  %168 = mul i64 %n.o, 8
  %169 = add i64 %168, %167
  %170 = mul i64 %169, 16
  %171 = add i64 %170, 0
  %172 = getelementptr inbounds float, float* %b.pack, i64 %171
  %173 = bitcast float* %172 to <8 x float>*
  %174 = load <8 x float>, <8 x float>* %173, align 4, !alias.scope !10, !noalias !11
  %175 = add nuw nsw i64 0, %m.clamped58
  %176 = mul nuw nsw i64 %175, 8
  %177 = add nuw nsw i64 %176, %k
  %178 = getelementptr inbounds float, float* %a, i64 %177
  %179 = load float, float* %178, align 4, !alias.scope !14, !noalias !15
  %.splatinsert60 = insertelement <8 x float> poison, float %179, i32 0
  %.splat61 = shufflevector <8 x float> %.splatinsert60, <8 x float> poison, <8 x i32> zeroinitializer
  %180 = fmul reassoc arcp contract <8 x float> %.splat61, %174
  %181 = load <8 x float>, <8 x float>* %tile24, align 32
  %182 = fadd reassoc arcp contract <8 x float> %181, %180
  store <8 x float> %182, <8 x float>* %tile24, align 32
  %183 = mul i64 %group0, 4
  %m62 = add i64 %183, 3
  %184 = icmp slt i64 %m62, 10
  %m.clamped63 = select i1 %184, i64 %m62, i64 9
  %185 = mul i64 %n.o, 16
  %n64 = add i64 %185, 8
  %186 = add i64 0, %k
  %187 = mul i64 %n.o, 8
  %188 = add i64 %187, %186
  %189 = mul i64 %188, 16
  %190 = add i64 %189, 8
  %191 = getelementptr inbounds float, float* %b.pack, i64 %190
  %192 = bitcast float* %191 to <8 x float>*
  %193 = load <8 x float>, <8 x float>* %192, align 4, !alias.scope !10, !noalias !11
  %194 = add nuw nsw i64 0, %m.clamped63
  %195 = mul nuw nsw i64 %194, 8
  %196 = add nuw nsw i64 %195, %k
  %197 = getelementptr inbounds float, float* %a, i64 %196
  %198 = load float, float* %197, align 4, !alias.scope !14, !noalias !15
  %.splatinsert65 = insertelement <8 x float> poison, float %198, i32 0
  %.splat66 = shufflevector <8 x float> %.splatinsert65, <8 x float> poison, <8 x i32> zeroinitializer
  %199 = fmul reassoc arcp contract <8 x float> %.splat66, %193
  %200 = load <8 x float>, <8 x float>* %tile28, align 32
  %201 = fadd reassoc arcp contract <8 x float> %200, %199
  store <8 x float> %201, <8 x float>* %tile28, align 32
  %k.next = add nuw nsw i64 %k, 1
  br label %k.head

k.exit:                                           ; preds = %k.head
  %202 = mul i64 %group0, 4
  %m67 = add i64 %202, 0
  %203 = icmp slt i64 %m67, 10
  %m.clamped68 = select i1 %203, i64 %m67, i64 9
  %204 = mul i64 %n.o, 16
  %n69 = add i64 %204, 0
  br i1 %203, label %rtile.row.in, label %rtile.row.done

rtile.row.in:                                     ; preds = %k.exit
  %205 = load <8 x float>, <8 x float>* %tile, align 32
  %206 = add nuw nsw i64 0, %m.clamped68
  %207 = mul nuw nsw i64 %206, 32
  %208 = add nuw nsw i64 %207, %n69
  %209 = getelementptr inbounds float, float* %c, i64 %208
  %210 = bitcast float* %209 to <8 x float>*
  store <8 x float> %205, <8 x float>* %210, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done

rtile.row.done:                                   ; preds = %rtile.row.in, %k.exit
  %211 = mul i64 %group0, 4
  %m70 = add i64 %211, 0
  %212 = icmp slt i64 %m70, 10
  %m.clamped71 = select i1 %212, i64 %m70, i64 9
  %213 = mul i64 %n.o, 16
  %n72 = add i64 %213, 8
  br i1 %212, label %rtile.row.in73, label %rtile.row.done74

rtile.row.in73:                                   ; preds = %rtile.row.done
  %214 = load <8 x float>, <8 x float>* %tile4, align 32
  %215 = add nuw nsw i64 0, %m.clamped71
  %216 = mul nuw nsw i64 %215, 32
  %217 = add nuw nsw i64 %216, %n72
  %218 = getelementptr inbounds float, float* %c, i64 %217
  %219 = bitcast float* %218 to <8 x float>*
  store <8 x float> %214, <8 x float>* %219, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done74

rtile.row.done74:                                 ; preds = %rtile.row.in73, %rtile.row.done
  %220 = mul i64 %group0, 4
  %m75 = add i64 %220, 1
  %221 = icmp slt i64 %m75, 10
  %m.clamped76 = select i1 %221, i64 %m75, i64 9
  %222 = mul i64 %n.o, 16
  %n77 = add i64 %222, 0
  br i1 %221, label %rtile.row.in78, label %rtile.row.done79

rtile.row.in78:                                   ; preds = %rtile.row.done74
  %223 = load <8 x float>, <8 x float>* %tile8, align 32
  %224 = add nuw nsw i64 0, %m.clamped76
  %225 = mul nuw nsw i64 %224, 32
  %226 = add nuw nsw i64 %225, %n77
  %227 = getelementptr inbounds float, float* %c, i64 %226
  %228 = bitcast float* %227 to <8 x float>*
  store <8 x float> %223, <8 x float>* %228, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done79

rtile.row.done79:                                 ; preds = %rtile.row.in78, %rtile.row.done74
  %229 = mul i64 %group0, 4
  %m80 = add i64 %229, 1
  %230 = icmp slt i64 %m80, 10
  %m.clamped81 = select i1 %230, i64 %m80, i64 9
  %231 = mul i64 %n.o, 16
  %n82 = add i64 %231, 8
  br i1 %230, label %rtile.row.in83, label %rtile.row.done84

rtile.row.in83:                                   ; preds = %rtile.row.done79
  %232 = load <8 x float>, <8 x float>* %tile12, align 32
  %233 = add nuw nsw i64 0, %m.clamped81
  %234 = mul nuw nsw i64 %233, 32
  %235 = add nuw nsw i64 %234, %n82
  %236 = getelementptr inbounds float, float* %c, i64 %235
  %237 = bitcast float* %236 to <8 x float>*
  store <8 x float> %232, <8 x float>* %237, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done84

rtile.row.done84:                                 ; preds = %rtile.row.in83, %rtile.row.done79
  %238 = mul i64 %group0, 4
  %m85 = add i64 %238, 2
  %239 = icmp slt i64 %m85, 10
  %m.clamped86 = select i1 %239, i64 %m85, i64 9
  %240 = mul i64 %n.o, 16
  %n87 = add i64 %240, 0
  br i1 %239, label %rtile.row.in88, label %rtile.row.done89

rtile.row.in88:                                   ; preds = %rtile.row.done84
  %241 = load <8 x float>, <8 x float>* %tile16, align 32
  %242 = add nuw nsw i64 0, %m.clamped86
  %243 = mul nuw nsw i64 %242, 32
  %244 = add nuw nsw i64 %243, %n87
  %245 = getelementptr inbounds float, float* %c, i64 %244
  %246 = bitcast float* %245 to <8 x float>*
  store <8 x float> %241, <8 x float>* %246, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done89

rtile.row.done89:                                 ; preds = %rtile.row.in88, %rtile.row.done84
  %247 = mul i64 %group0, 4
  %m90 = add i64 %247, 2
  %248 = icmp slt i64 %m90, 10
  %m.clamped91 = select i1 %248, i64 %m90, i64 9
  %249 = mul i64 %n.o, 16
  %n92 = add i64 %249, 8
  br i1 %248, label %rtile.row.in93, label %rtile.row.done94

rtile.row.in93:                                   ; preds = %rtile.row.done89
  %250 = load <8 x float>, <8 x float>* %tile20, align 32
  %251 = add nuw nsw i64 0, %m.clamped91
  %252 = mul nuw nsw i64 %251, 32
  %253 = add nuw nsw i64 %252, %n92
  %254 = getelementptr inbounds float, float* %c, i64 %253
  %255 = bitcast float* %254 to <8 x float>*
  store <8 x float> %250, <8 x float>* %255, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done94

rtile.row.done94:                                 ; preds = %rtile.row.in93, %rtile.row.done89
  %256 = mul i64 %group0, 4
  %m95 = add i64 %256, 3
  %257 = icmp slt i64 %m95, 10
  %m.clamped96 = select i1 %257, i64 %m95, i64 9
  %258 = mul i64 %n.o, 16
  %n97 = add i64 %258, 0
  br i1 %257, label %rtile.row.in98, label %rtile.row.done99

rtile.row.in98:                                   ; preds = %rtile.row.done94
  %259 = load <8 x float>, <8 x float>* %tile24, align 32
  %260 = add nuw nsw i64 0, %m.clamped96
  %261 = mul nuw nsw i64 %260, 32
  %262 = add nuw nsw i64 %261, %n97
  %263 = getelementptr inbounds float, float* %c, i64 %262
  %264 = bitcast float* %263 to <8 x float>*
  store <8 x float> %259, <8 x float>* %264, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done99

rtile.row.done99:                                 ; preds = %rtile.row.in98, %rtile.row.done94
  %265 = mul i64 %group0, 4
  %m100 = add i64 %265, 3
  %266 = icmp slt i64 %m100, 10
  %m.clamped101 = select i1 %266, i64 %m100, i64 9
  %267 = mul i64 %n.o, 16
  %n102 = add i64 %267, 8
  br i1 %266, label %rtile.row.in103, label %rtile.row.done104

rtile.row.in103:                                  ; preds = %rtile.row.done99
  %268 = load <8 x float>, <8 x float>* %tile28, align 32
  %269 = add nuw nsw i64 0, %m.clamped101
  %270 = mul nuw nsw i64 %269, 32
  %271 = add nuw nsw i64 %270, %n102
  %272 = getelementptr inbounds float, float* %c, i64 %271
  %273 = bitcast float* %272 to <8 x float>*
  store <8 x float> %268, <8 x float>* %273, align 4, !alias.scope !16, !noalias !17
  br label %rtile.row.done104

rtile.row.done104:                                ; preds = %rtile.row.in103, %rtile.row.done99
  %n.o.next = add nuw nsw i64 %n.o, 1
  br label %n.o.head
}

attributes #0 = { nounwind }

!0 = !{!1}
!1 = distinct !{!1, !2, !"b"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9}
!4 = distinct !{!4, !2, !"a"}
!5 = distinct !{!5, !2, !"a.pack"}
!6 = distinct !{!6, !2, !"b.pack"}
!7 = distinct !{!7, !2, !"c"}
!8 = distinct !{!8, !2, !"c.pack"}
!9 = distinct !{!9, !2, !"axon.scratch"}
!10 = !{!6}
!11 = !{!4, !5, !1, !7, !8, !9}
!12 = distinct !{!12, !13}
!13 = !{!"llvm.loop.vectorize.enable", i1 true}
!14 = !{!4}
!15 = !{!5, !1, !6, !7, !8, !9}
!16 = !{!7}
!17 = !{!4, !5, !1, !6, !8, !9}

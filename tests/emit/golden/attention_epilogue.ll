; ModuleID = 'attention_epilogue'
source_filename = "attention_epilogue"

; Function Attrs: nounwind
define void @attention_epilogue(i8** noalias %buffers) #0 {
entry:
  %acc.j = alloca float, align 4
  %vred.j49 = alloca <8 x float>, align 32
  %vred.j = alloca <8 x float>, align 32
  %tile = alloca <8 x float>, align 32
  %tile3 = alloca <8 x float>, align 32
  %tile6 = alloca <8 x float>, align 32
  %tile9 = alloca <8 x float>, align 32
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %q.raw = load i8*, i8** %0, align 8
  %q = bitcast i8* %q.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %k.raw = load i8*, i8** %1, align 8
  %k = bitcast i8* %k.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %v.raw = load i8*, i8** %2, align 8
  %v = bitcast i8* %v.raw to float*
  %3 = getelementptr inbounds i8*, i8** %buffers, i64 3
  %s.raw = load i8*, i8** %3, align 8
  %s = bitcast i8* %s.raw to float*
  %4 = getelementptr inbounds i8*, i8** %buffers, i64 4
  %p.raw = load i8*, i8** %4, align 8
  %p = bitcast i8* %p.raw to float*
  %5 = getelementptr inbounds i8*, i8** %buffers, i64 5
  %p.mx.raw = load i8*, i8** %5, align 8
  %p.mx = bitcast i8* %p.mx.raw to float*
  %6 = getelementptr inbounds i8*, i8** %buffers, i64 6
  %p.e.raw = load i8*, i8** %6, align 8
  %p.e = bitcast i8* %p.e.raw to float*
  %7 = getelementptr inbounds i8*, i8** %buffers, i64 7
  %p.s.raw = load i8*, i8** %7, align 8
  %p.s = bitcast i8* %p.s.raw to float*
  %8 = getelementptr inbounds i8*, i8** %buffers, i64 8
  %o.raw = load i8*, i8** %8, align 8
  %o = bitcast i8* %o.raw to float*
  %9 = getelementptr inbounds i8*, i8** %buffers, i64 9
  %axon.scratch = load i8*, i8** %9, align 8
  %10 = getelementptr inbounds i8, i8* %axon.scratch, i64 0
  %k.pack = bitcast i8* %10 to float*
  br label %k.pk.o.head

k.pk.o.head:                                      ; preds = %k.pk.i.exit, %entry
  %k.pk.o = phi i64 [ 0, %entry ], [ %k.pk.o.next, %k.pk.i.exit ]
  %11 = icmp slt i64 %k.pk.o, 1
  br i1 %11, label %k.pk.o.body, label %k.pk.o.exit

k.pk.o.body:                                      ; preds = %k.pk.o.head
  br label %k.pk.i.head

k.pk.o.exit:                                      ; preds = %k.pk.o.head
  br label %group0.head

k.pk.i.head:                                      ; preds = %k.pk.d0.exit, %k.pk.o.body
  %k.pk.i = phi i64 [ 0, %k.pk.o.body ], [ %k.pk.i.next, %k.pk.d0.exit ]
  %12 = icmp slt i64 %k.pk.i, 8
  br i1 %12, label %k.pk.i.body, label %k.pk.i.exit

k.pk.i.body:                                      ; preds = %k.pk.i.head
  br label %k.pk.d0.head

k.pk.i.exit:                                      ; preds = %k.pk.i.head
  %k.pk.o.next = add nuw nsw i64 %k.pk.o, 1
  br label %k.pk.o.head

k.pk.d0.head:                                     ; preds = %k.pk.d2.exit, %k.pk.i.body
  %k.pk.d0 = phi i64 [ 0, %k.pk.i.body ], [ %k.pk.d0.next, %k.pk.d2.exit ]
  %13 = icmp slt i64 %k.pk.d0, 2
  br i1 %13, label %k.pk.d0.body, label %k.pk.d0.exit

k.pk.d0.body:                                     ; preds = %k.pk.d0.head
  %14 = add i64 0, %k.pk.d0
  %15 = mul i64 %k.pk.d0, 64
  %16 = add i64 0, %15
  br label %k.pk.d2.head

k.pk.d0.exit:                                     ; preds = %k.pk.d0.head
  %k.pk.i.next = add nuw nsw i64 %k.pk.i, 1
  br label %k.pk.i.head

k.pk.d2.head:                                     ; preds = %k.pk.d2.body, %k.pk.d0.body
  %k.pk.d2 = phi i64 [ 0, %k.pk.d0.body ], [ %k.pk.d2.next, %k.pk.d2.body ]
  %17 = icmp slt i64 %k.pk.d2, 8
  br i1 %17, label %k.pk.d2.body, label %k.pk.d2.exit

k.pk.d2.body:                                     ; preds = %k.pk.d2.head
  %18 = mul i64 %14, 8
  %19 = add i64 %18, %k.pk.d2
  %20 = mul i64 %k.pk.d2, 1
  %21 = add i64 %16, %20
  %22 = mul i64 %k.pk.o, 8
  %23 = add i64 %22, %k.pk.i
  %24 = mul i64 %23, 8
  %25 = add i64 %21, %24
  %26 = mul i64 %k.pk.o, 16
  %27 = add i64 %26, %19
  %28 = mul i64 %27, 8
  %29 = add i64 %28, %k.pk.i
  %30 = getelementptr inbounds float, float* %k, i64 %25
  %31 = load float, float* %30, align 4, !alias.scope !0, !noalias !3
  %32 = getelementptr inbounds float, float* %k.pack, i64 %29
  store float %31, float* %32, align 4, !alias.scope !22, !noalias !23
  %k.pk.d2.next = add nuw nsw i64 %k.pk.d2, 1
  br label %k.pk.d2.head, !llvm.loop !24

k.pk.d2.exit:                                     ; preds = %k.pk.d2.head
  %k.pk.d0.next = add nuw nsw i64 %k.pk.d0, 1
  br label %k.pk.d0.head

group0.head:                                      ; preds = %i.o.exit, %k.pk.o.exit
  %group0 = phi i64 [ 0, %k.pk.o.exit ], [ %group0.next, %i.o.exit ]
  %33 = icmp slt i64 %group0, 2
  br i1 %33, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %i.o.head

group0.exit:                                      ; preds = %group0.head
  br label %group1.head

i.o.head:                                         ; preds = %j.o.exit, %group0.body
  %i.o = phi i64 [ 0, %group0.body ], [ %i.o.next, %j.o.exit ]
  %34 = icmp slt i64 %i.o, 2
  br i1 %34, label %i.o.body, label %i.o.exit

i.o.body:                                         ; preds = %i.o.head
  br label %j.o.head

i.o.exit:                                         ; preds = %i.o.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

j.o.head:                                         ; preds = %d.exit, %i.o.body
  %j.o = phi i64 [ 0, %i.o.body ], [ %j.o.next, %d.exit ]
  %35 = icmp slt i64 %j.o, 1
  br i1 %35, label %j.o.body, label %j.o.exit

j.o.body:                                         ; preds = %j.o.head
  %36 = mul i64 %i.o, 4
  %i = add i64 %36, 0
  %37 = mul i64 %j.o, 8
  %j = add i64 %37, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile, align 32
  %38 = mul i64 %i.o, 4
  %i1 = add i64 %38, 1
  %39 = mul i64 %j.o, 8
  %j2 = add i64 %39, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile3, align 32
  %40 = mul i64 %i.o, 4
  %i4 = add i64 %40, 2
  %41 = mul i64 %j.o, 8
  %j5 = add i64 %41, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile6, align 32
  %42 = mul i64 %i.o, 4
  %i7 = add i64 %42, 3
  %43 = mul i64 %j.o, 8
  %j8 = add i64 %43, 0
  store <8 x float> zeroinitializer, <8 x float>* %tile9, align 32
  br label %d.head

j.o.exit:                                         ; preds = %j.o.head
  %i.o.next = add nuw nsw i64 %i.o, 1
  br label %i.o.head

d.head:                                           ; preds = %d.body, %j.o.body
  %d = phi i64 [ 0, %j.o.body ], [ %d.next, %d.body ]
  %44 = icmp slt i64 %d, 8
  br i1 %44, label %d.body, label %d.exit

d.body:                                           ; preds = %d.head
  %45 = mul i64 %i.o, 4
  %i10 = add i64 %45, 0
  %46 = mul i64 %j.o, 8
  %j11 = add i64 %46, 0
  %47 = add i64 0, %group0
  %48 = mul i64 %47, 8
  %49 = add i64 %48, %d
  %50 = mul i64 %j.o, 16
  %51 = add i64 %50, %49
  %52 = mul i64 %51, 8
  %53 = add i64 %52, 0
  %54 = getelementptr inbounds float, float* %k.pack, i64 %53
  %55 = bitcast float* %54 to <8 x float>*
  %56 = load <8 x float>, <8 x float>* %55, align 4, !alias.scope !22, !noalias !23
  %57 = add nuw nsw i64 0, %group0
  %58 = mul nuw nsw i64 %57, 8
  %59 = add nuw nsw i64 %58, %i10
  %60 = mul nuw nsw i64 %59, 8
  %61 = add nuw nsw i64 %60, %d
  %62 = getelementptr inbounds float, float* %q, i64 %61
  %63 = load float, float* %62, align 4, !alias.scope !26, !noalias !27
  %.splatinsert = insertelement <8 x float> poison, float %63, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %64 = fmul reassoc arcp contract <8 x float> %.splat, %56
  %65 = load <8 x float>, <8 x float>* %tile, align 32
  %66 = fadd reassoc arcp contract <8 x float> %65, %64
  store <8 x float> %66, <8 x float>* %tile, align 32
  %67 = mul i64 %i.o, 4
  %i12 = add i64 %67, 1
  %68 = mul i64 %j.o, 8
  %j13 = add i64 %68, 0
  %69 = add i64 0, %group0
  %70 = mul i64 %69, 8
  %71 = add i64 %70, %d
  %72 = mul i64 %j.o, 16
  %73 = add i64 %72, %71
  %74 = mul i64 %73, 8
  %75 = add i64 %74, 0
  %76 = getelementptr inbounds float, float* %k.pack, i64 %75
  %77 = bitcast float* %76 to <8 x float>*
  %78 = load <8 x float>, <8 x float>* %77, align 4, !alias.scope !22, !noalias !23
  %79 = add nuw nsw i64 0, %group0
  %80 = mul nuw nsw i64 %79, 8
  %81 = add nuw nsw i64 %80, %i12
  %82 = mul nuw nsw i64 %81, 8
  %83 = add nuw nsw i64 %82, %d
  %84 = getelementptr inbounds float, float* %q, i64 %83
  %85 = load float, float* %84, align 4, !alias.scope !26, !noalias !27
  %.splatinsert14 = insertelement <8 x float> poison, float %85, i32 0
  %.splat15 = shufflevector <8 x float> %.splatinsert14, <8 x float> poison, <8 x i32> zeroinitializer
  %86 = fmul reassoc arcp contract <8 x float> %.splat15, %78
  %87 = load <8 x float>, <8 x float>* %tile3, align 32
  %88 = fadd reassoc arcp contract <8 x float> %87, %86
  store <8 x float> %88, <8 x float>* %tile3, align 32
  %89 = mul i64 %i.o, 4
  %i16 = add i64 %89, 2
  %90 = mul i64 %j.o, 8
  %j17 = add i64 %90, 0
  %91 = add i64 0, %group0
  %92 = mul i64 %91, 8
  %93 = add i64 %92, %d
  %94 = mul i64 %j.o, 16
  %95 = add i64 %94, %93
  %96 = mul i64 %95, 8
  %97 = add i64 %96, 0
  %98 = getelementptr inbounds float, float* %k.pack, i64 %97
  %99 = bitcast float* %98 to <8 x float>*
  %100 = load <8 x float>, <8 x float>* %99, align 4, !alias.scope !22, !noalias !23
  %101 = add nuw nsw i64 0, %group0
  %102 = mul nuw nsw i64 %101, 8
  %103 = add nuw nsw i64 %102, %i16
  %104 = mul nuw nsw i64 %103, 8
  %105 = add nuw nsw i64 %104, %d
  %106 = getelementptr inbounds float, float* %q, i64 %105
  %107 = load float, float* %106, align 4, !alias.scope !26, !noalias !27
  %.splatinsert18 = insertelement <8 x float> poison, float %107, i32 0
  %.splat19 = shufflevector <8 x float> %.splatinsert18, <8 x float> poison, <8 x i32> zeroinitializer
  %108 = fmul reassoc arcp contract <8 x float> %.splat19, %100
  %109 = load <8 x float>, <8 x float>* %tile6, align 32
  %110 = fadd reassoc arcp contract <8 x float> %109, %108
  store <8 x float> %110, <8 x float>* %tile6, align 32
  %111 = mul i64 %i.o, 4
  %i20 = add i64 %111, 3
  %112 = mul i64 %j.o, 8
  %j21 = add i64 %112, 0
  %113 = add i64 0, %group0
  %114 = mul i64 %113, 8
  %115 = add i64 %114, %d
  %116 = mul i64 %j.o, 16
  %117 = add i64 %116, %115
  %118 = mul i64 %117, 8
  %119 = add i64 %118, 0
  %120 = getelementptr inbounds float, float* %k.pack, i64 %119
  %121 = bitcast float* %120 to <8 x float>*
  %122 = load <8 x float>, <8 x float>* %121, align 4, !alias.scope !22, !noalias !23
  %123 = add nuw nsw i64 0, %group0
  %124 = mul nuw nsw i64 %123, 8
  %125 = add nuw nsw i64 %124, %i20
  %126 = mul nuw nsw i64 %125, 8
  %127 = add nuw nsw i64 %126, %d
  %128 = getelementptr inbounds float, float* %q, i64 %127
  %129 = load float, float* %128, align 4, !alias.scope !26, !noalias !27
  %.splatinsert22 = insertelement <8 x float> poison, float %129, i32 0
  %.splat23 = shufflevector <8 x float> %.splatinsert22, <8 x float> poison, <8 x i32> zeroinitializer
  %130 = fmul reassoc arcp contract <8 x float> %.splat23, %122
  %131 = load <8 x float>, <8 x float>* %tile9, align 32
  %132 = fadd reassoc arcp contract <8 x float> %131, %130
  store <8 x float> %132, <8 x float>* %tile9, align 32
  %d.next = add nuw nsw i64 %d, 1
  br label %d.head

d.exit:                                           ; preds = %d.head
  %133 = mul i64 %i.o, 4
  %i24 = add i64 %133, 0
  %134 = mul i64 %j.o, 8
  %j25 = add i64 %134, 0
  %135 = load <8 x float>, <8 x float>* %tile, align 32
  %136 = add nuw nsw i64 0, %group0
  %137 = mul nuw nsw i64 %136, 8
  %138 = add nuw nsw i64 %137, %i24
  %139 = mul nuw nsw i64 %138, 8
  %140 = add nuw nsw i64 %139, %j25
  %141 = getelementptr inbounds float, float* %s, i64 %140
  %142 = bitcast float* %141 to <8 x float>*
  store <8 x float> %135, <8 x float>* %142, align 4, !alias.scope !28, !noalias !29
  %143 = call reassoc arcp contract float @llvm.sqrt.f32(float 8.000000e+00)
  %.splatinsert26 = insertelement <8 x float> poison, float %143, i32 0
  %.splat27 = shufflevector <8 x float> %.splatinsert26, <8 x float> poison, <8 x i32> zeroinitializer
  %144 = add nuw nsw i64 0, %group0
  %145 = mul nuw nsw i64 %144, 8
  %146 = add nuw nsw i64 %145, %i24
  %147 = mul nuw nsw i64 %146, 8
  %148 = add nuw nsw i64 %147, %j25
  %149 = getelementptr inbounds float, float* %s, i64 %148
  %150 = bitcast float* %149 to <8 x float>*
  %151 = load <8 x float>, <8 x float>* %150, align 4, !alias.scope !28, !noalias !29
  %152 = fdiv reassoc arcp contract <8 x float> %151, %.splat27
  %153 = add nuw nsw i64 0, %group0
  %154 = mul nuw nsw i64 %153, 8
  %155 = add nuw nsw i64 %154, %i24
  %156 = mul nuw nsw i64 %155, 8
  %157 = add nuw nsw i64 %156, %j25
  %158 = getelementptr inbounds float, float* %s, i64 %157
  %159 = bitcast float* %158 to <8 x float>*
  store <8 x float> %152, <8 x float>* %159, align 4, !alias.scope !28, !noalias !29
  %160 = mul i64 %i.o, 4
  %i28 = add i64 %160, 1
  %161 = mul i64 %j.o, 8
  %j29 = add i64 %161, 0
  %162 = load <8 x float>, <8 x float>* %tile3, align 32
  %163 = add nuw nsw i64 0, %group0
  %164 = mul nuw nsw i64 %163, 8
  %165 = add nuw nsw i64 %164, %i28
  %166 = mul nuw nsw i64 %165, 8
  %167 = add nuw nsw i64 %166, %j29
  %168 = getelementptr inbounds float, float* %s, i64 %167
  %169 = bitcast float* %168 to <8 x float>*
  store <8 x float> %162, <8 x float>* %169, align 4, !alias.scope !28, !noalias !29
  %170 = call reassoc arcp contract float @llvm.sqrt.f32(float 8.000000e+00)
  %.splatinsert30 = insertelement <8 x float> poison, float %170, i32 0
  %.splat31 = shufflevector <8 x float> %.splatinsert30, <8 x float> poison, <8 x i32> zeroinitializer
  %171 = add nuw nsw i64 0, %group0
  %172 = mul nuw nsw i64 %171, 8
  %173 = add nuw nsw i64 %172, %i28
  %174 = mul nuw nsw i64 %173, 8
  %175 = add nuw nsw i64 %174, %j29
  %176 = getelementptr inbounds float, float* %s, i64 %175
  %177 = bitcast float* %176 to <8 x float>*
  %178 = load <8 x float>, <8 x float>* %177, align 4, !alias.scope !28, !noalias !29
  %179 = fdiv reassoc arcp contract <8 x float> %178, %.splat31
  %180 = add nuw nsw i64 0, %group0
  %181 = mul nuw nsw i64 %180, 8
  %182 = add nuw nsw i64 %181, %i28
  %183 = mul nuw nsw i64 %182, 8
  %184 = add nuw nsw i64 %183, %j29
  %185 = getelementptr inbounds float, float* %s, i64 %184
  %186 = bitcast float* %185 to <8 x float>*
  store <8 x float> %179, <8 x float>* %186, align 4, !alias.scope !28, !noalias !29
  %187 = mul i64 %i.o, 4
  %i32 = add i64 %187, 2
  %188 = mul i64 %j.o, 8
  %j33 = add i64 %188, 0
  %189 = load <8 x float>, <8 x float>* %tile6, align 32
  %190 = add nuw nsw i64 0, %group0
  %191 = mul nuw nsw i64 %190, 8
  %192 = add nuw nsw i64 %191, %i32
  %193 = mul nuw nsw i64 %192, 8
  %194 = add nuw nsw i64 %193, %j33
  %195 = getelementptr inbounds float, float* %s, i64 %194
  %196 = bitcast float* %195 to <8 x float>*
  store <8 x float> %189, <8 x float>* %196, align 4, !alias.scope !28, !noalias !29
  %197 = call reassoc arcp contract float @llvm.sqrt.f32(float 8.000000e+00)
  %.splatinsert34 = insertelement <8 x float> poison, float %197, i32 0
  %.splat35 = shufflevector <8 x float> %.splatinsert34, <8 x float> poison, <8 x i32> zeroinitializer
  %198 = add nuw nsw i64 0, %group0
  %199 = mul nuw nsw i64 %198, 8
  %200 = add nuw nsw i64 %199, %i32
  %201 = mul nuw nsw i64 %200, 8
  %202 = add nuw nsw i64 %201, %j33
  %203 = getelementptr inbounds float, float* %s, i64 %202
  %204 = bitcast float* %203 to <8 x float>*
  %205 = load <8 x float>, <8 x float>* %204, align 4, !alias.scope !28, !noalias !29
  %206 = fdiv reassoc arcp contract <8 x float> %205, %.splat35
  %207 = add nuw nsw i64 0, %group0
  %208 = mul nuw nsw i64 %207, 8
  %209 = add nuw nsw i64 %208, %i32
  %210 = mul nuw nsw i64 %209, 8
  %211 = add nuw nsw i64 %210, %j33
  %212 = getelementptr inbounds float, float* %s, i64 %211
  %213 = bitcast float* %212 to <8 x float>*
  store <8 x float> %206, <8 x float>* %213, align 4, !alias.scope !28, !noalias !29
  %214 = mul i64 %i.o, 4
  %i36 = add i64 %214, 3
  %215 = mul i64 %j.o, 8
  %j37 = add i64 %215, 0
  %216 = load <8 x float>, <8 x float>* %tile9, align 32
  %217 = add nuw nsw i64 0, %group0
  %218 = mul nuw nsw i64 %217, 8
  %219 = add nuw nsw i64 %218, %i36
  %220 = mul nuw nsw i64 %219, 8
  %221 = add nuw nsw i64 %220, %j37
  %222 = getelementptr inbounds float, float* %s, i64 %221
  %223 = bitcast float* %222 to <8 x float>*
  store <8 x float> %216, <8 x float>* %223, align 4, !alias.scope !28, !noalias !29
  %224 = call reassoc arcp contract float @llvm.sqrt.f32(float 8.000000e+00)
  %.splatinsert38 = insertelement <8 x float> poison, float %224, i32 0
  %.splat39 = shufflevector <8 x float> %.splatinsert38, <8 x float> poison, <8 x i32> zeroinitializer
  %225 = add nuw nsw i64 0, %group0
  %226 = mul nuw nsw i64 %225, 8
  %227 = add nuw nsw i64 %226, %i36
  %228 = mul nuw nsw i64 %227, 8
  %229 = add nuw nsw i64 %228, %j37
  %230 = getelementptr inbounds float, float* %s, i64 %229
  %231 = bitcast float* %230 to <8 x float>*
  %232 = load <8 x float>, <8 x float>* %231, align 4, !alias.scope !28, !noalias !29
  %233 = fdiv reassoc arcp contract <8 x float> %232, %.splat39
  %234 = add nuw nsw i64 0, %group0
  %235 = mul nuw nsw i64 %234, 8
  %236 = add nuw nsw i64 %235, %i36
  %237 = mul nuw nsw i64 %236, 8
  %238 = add nuw nsw i64 %237, %j37
  %239 = getelementptr inbounds float, float* %s, i64 %238
  %240 = bitcast float* %239 to <8 x float>*
  store <8 x float> %233, <8 x float>* %240, align 4, !alias.scope !28, !noalias !29
  %j.o.next = add nuw nsw i64 %j.o, 1
  br label %j.o.head

group1.head:                                      ; preds = %_b1.exit, %group0.exit
  %group1 = phi i64 [ 0, %group0.exit ], [ %group1.next, %_b1.exit ]
  %241 = icmp slt i64 %group1, 2
  br i1 %241, label %group1.body, label %group1.exit

group1.body:                                      ; preds = %group1.head
  br label %_b1.head

group1.exit:                                      ; preds = %group1.head
  br label %group2.head

_b1.head:                                         ; preds = %r.j.v.exit, %group1.body
  %_b1 = phi i64 [ 0, %group1.body ], [ %_b1.next, %r.j.v.exit ]
  %242 = icmp slt i64 %_b1, 8
  br i1 %242, label %_b1.body, label %_b1.exit

_b1.body:                                         ; preds = %_b1.head
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %vred.j, align 32
  br label %r.j.v.head

_b1.exit:                                         ; preds = %_b1.head
  %group1.next = add nuw nsw i64 %group1, 1
  br label %group1.head

r.j.v.head:                                       ; preds = %r.j.v.body, %_b1.body
  %r.j.v = phi i64 [ 0, %_b1.body ], [ %r.j.v.next, %r.j.v.body ]
  %243 = icmp slt i64 %r.j.v, 1
  br i1 %243, label %r.j.v.body, label %r.j.v.exit

r.j.v.body:                                       ; preds = %r.j.v.head
  %244 = mul i64 %r.j.v, 8
  %245 = add nuw nsw i64 0, %group1
  %246 = mul nuw nsw i64 %245, 8
  %247 = add nuw nsw i64 %246, %_b1
  %248 = mul nuw nsw i64 %247, 8
  %249 = add nuw nsw i64 %248, %244
  %250 = getelementptr inbounds float, float* %s, i64 %249
  %251 = bitcast float* %250 to <8 x float>*
  %252 = load <8 x float>, <8 x float>* %251, align 4, !alias.scope !28, !noalias !29
  %253 = load <8 x float>, <8 x float>* %vred.j, align 32
  %254 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %253, <8 x float> %252)
  store <8 x float> %254, <8 x float>* %vred.j, align 32
  %r.j.v.next = add nuw nsw i64 %r.j.v, 1
  br label %r.j.v.head

r.j.v.exit:                                       ; preds = %r.j.v.head
  %255 = load <8 x float>, <8 x float>* %vred.j, align 32
  %256 = call reassoc arcp contract float @llvm.vector.reduce.fmax.v8f32(<8 x float> %255)
  %257 = add nuw nsw i64 0, %group1
  %258 = mul nuw nsw i64 %257, 8
  %259 = add nuw nsw i64 %258, %_b1
  %260 = getelementptr inbounds float, float* %p.mx, i64 %259
  store float %256, float* %260, align 4, !alias.scope !30, !noalias !31
  %_b1.next = add nuw nsw i64 %_b1, 1
  br label %_b1.head

group2.head:                                      ; preds = %_b1.exit42, %group1.exit
  %group2 = phi i64 [ 0, %group1.exit ], [ %group2.next, %_b1.exit42 ]
  %261 = icmp slt i64 %group2, 2
  br i1 %261, label %group2.body, label %group2.exit

group2.body:                                      ; preds = %group2.head
  br label %_b1.head40

group2.exit:                                      ; preds = %group2.head
  br label %group3.head

_b1.head40:                                       ; preds = %n.exit, %group2.body
  %_b143 = phi i64 [ 0, %group2.body ], [ %_b1.next44, %n.exit ]
  %262 = icmp slt i64 %_b143, 8
  br i1 %262, label %_b1.body41, label %_b1.exit42

_b1.body41:                                       ; preds = %_b1.head40
  br label %n.head

_b1.exit42:                                       ; preds = %_b1.head40
  %group2.next = add nuw nsw i64 %group2, 1
  br label %group2.head

n.head:                                           ; preds = %n.body, %_b1.body41
  %n = phi i64 [ 0, %_b1.body41 ], [ %n.next, %n.body ]
  %263 = icmp slt i64 %n, 8
  br i1 %263, label %n.body, label %n.exit

n.body:                                           ; preds = %n.head
  %264 = add nuw nsw i64 0, %group2
  %265 = mul nuw nsw i64 %264, 8
  %266 = add nuw nsw i64 %265, %_b143
  %267 = getelementptr inbounds float, float* %p.mx, i64 %266
  %268 = load float, float* %267, align 4, !alias.scope !30, !noalias !31
  %269 = add nuw nsw i64 0, %group2
  %270 = mul nuw nsw i64 %269, 8
  %271 = add nuw nsw i64 %270, %_b143
  %272 = mul nuw nsw i64 %271, 8
  %273 = add nuw nsw i64 %272, %n
  %274 = getelementptr inbounds float, float* %s, i64 %273
  %275 = load float, float* %274, align 4, !alias.scope !28, !noalias !29
  %276 = fsub reassoc arcp contract float %275, %268
  %277 = call reassoc arcp contract float @expf(float %276)
  %278 = add nuw nsw i64 0, %group2
  %279 = mul nuw nsw i64 %278, 8
  %280 = add nuw nsw i64 %279, %_b143
  %281 = mul nuw nsw i64 %280, 8
  %282 = add nuw nsw i64 %281, %n
  %283 = getelementptr inbounds float, float* %p.e, i64 %282
  store float %277, float* %283, align 4, !alias.scope !32, !noalias !33
  %n.next = add nuw nsw i64 %n, 1
  br label %n.head

n.exit:                                           ; preds = %n.head
  %_b1.next44 = add nuw nsw i64 %_b143, 1
  br label %_b1.head40

group3.head:                                      ; preds = %_b1.exit47, %group2.exit
  %group3 = phi i64 [ 0, %group2.exit ], [ %group3.next, %_b1.exit47 ]
  %284 = icmp slt i64 %group3, 2
  br i1 %284, label %group3.body, label %group3.exit

group3.body:                                      ; preds = %group3.head
  br label %_b1.head45

group3.exit:                                      ; preds = %group3.head
  br label %group4.head

_b1.head45:                                       ; preds = %r.j.v.exit52, %group3.body
  %_b148 = phi i64 [ 0, %group3.body ], [ %_b1.next55, %r.j.v.exit52 ]
  %285 = icmp slt i64 %_b148, 8
  br i1 %285, label %_b1.body46, label %_b1.exit47

_b1.body46:                                       ; preds = %_b1.head45
  store <8 x float> zeroinitializer, <8 x float>* %vred.j49, align 32
  br label %r.j.v.head50

_b1.exit47:                                       ; preds = %_b1.head45
  %group3.next = add nuw nsw i64 %group3, 1
  br label %group3.head

r.j.v.head50:                                     ; preds = %r.j.v.body51, %_b1.body46
  %r.j.v53 = phi i64 [ 0, %_b1.body46 ], [ %r.j.v.next54, %r.j.v.body51 ]
  %286 = icmp slt i64 %r.j.v53, 1
  br i1 %286, label %r.j.v.body51, label %r.j.v.exit52

r.j.v.body51:                                     ; preds = %r.j.v.head50
  %287 = mul i64 %r.j.v53, 8
  %288 = add nuw nsw i64 0, %group3
  %289 = mul nuw nsw i64 %288, 8
  %290 = add nuw nsw i64 %289, %_b148
  %291 = mul nuw nsw i64 %290, 8
  %292 = add nuw nsw i64 %291, %287
  %293 = getelementptr inbounds float, float* %p.e, i64 %292
  %294 = bitcast float* %293 to <8 x float>*
  %295 = load <8 x float>, <8 x float>* %294, align 4, !alias.scope !32, !noalias !33
  %296 = load <8 x float>, <8 x float>* %vred.j49, align 32
  %297 = fadd reassoc arcp contract <8 x float> %296, %295
  store <8 x float> %297, <8 x float>* %vred.j49, align 32
  %r.j.v.next54 = add nuw nsw i64 %r.j.v53, 1
  br label %r.j.v.head50

r.j.v.exit52:                                     ; preds = %r.j.v.head50
  %298 = load <8 x float>, <8 x float>* %vred.j49, align 32
  %299 = call reassoc arcp contract float @llvm.vector.reduce.fadd.v8f32(float 0.000000e+00, <8 x float> %298)
  %300 = add nuw nsw i64 0, %group3
  %301 = mul nuw nsw i64 %300, 8
  %302 = add nuw nsw i64 %301, %_b148
  %303 = getelementptr inbounds float, float* %p.s, i64 %302
  store float %299, float* %303, align 4, !alias.scope !34, !noalias !35
  %_b1.next55 = add nuw nsw i64 %_b148, 1
  br label %_b1.head45

group4.head:                                      ; preds = %_b1.exit58, %group3.exit
  %group4 = phi i64 [ 0, %group3.exit ], [ %group4.next, %_b1.exit58 ]
  %304 = icmp slt i64 %group4, 2
  br i1 %304, label %group4.body, label %group4.exit

group4.body:                                      ; preds = %group4.head
  br label %_b1.head56

group4.exit:                                      ; preds = %group4.head
  br label %group5.head

_b1.head56:                                       ; preds = %n.exit62, %group4.body
  %_b159 = phi i64 [ 0, %group4.body ], [ %_b1.next65, %n.exit62 ]
  %305 = icmp slt i64 %_b159, 8
  br i1 %305, label %_b1.body57, label %_b1.exit58

_b1.body57:                                       ; preds = %_b1.head56
  br label %n.head60

_b1.exit58:                                       ; preds = %_b1.head56
  %group4.next = add nuw nsw i64 %group4, 1
  br label %group4.head

n.head60:                                         ; preds = %n.body61, %_b1.body57
  %n63 = phi i64 [ 0, %_b1.body57 ], [ %n.next64, %n.body61 ]
  %306 = icmp slt i64 %n63, 8
  br i1 %306, label %n.body61, label %n.exit62

n.body61:                                         ; preds = %n.head60
  %307 = add nuw nsw i64 0, %group4
  %308 = mul nuw nsw i64 %307, 8
  %309 = add nuw nsw i64 %308, %_b159
  %310 = getelementptr inbounds float, float* %p.s, i64 %309
  %311 = load float, float* %310, align 4, !alias.scope !34, !noalias !35
  %312 = add nuw nsw i64 0, %group4
  %313 = mul nuw nsw i64 %312, 8
  %314 = add nuw nsw i64 %313, %_b159
  %315 = mul nuw nsw i64 %314, 8
  %316 = add nuw nsw i64 %315, %n63
  %317 = getelementptr inbounds float, float* %p.e, i64 %316
  %318 = load float, float* %317, align 4, !alias.scope !32, !noalias !33
  %319 = fdiv reassoc arcp contract float %318, %311
  %320 = add nuw nsw i64 0, %group4
  %321 = mul nuw nsw i64 %320, 8
  %322 = add nuw nsw i64 %321, %_b159
  %323 = mul nuw nsw i64 %322, 8
  %324 = add nuw nsw i64 %323, %n63
  %325 = getelementptr inbounds float, float* %p, i64 %324
  store float %319, float* %325, align 4, !alias.scope !36, !noalias !37
  %n.next64 = add nuw nsw i64 %n63, 1
  br label %n.head60

n.exit62:                                         ; preds = %n.head60
  %_b1.next65 = add nuw nsw i64 %_b159, 1
  br label %_b1.head56

group5.head:                                      ; preds = %i.exit, %group4.exit
  %group5 = phi i64 [ 0, %group4.exit ], [ %group5.next, %i.exit ]
  %326 = icmp slt i64 %group5, 2
  br i1 %326, label %group5.body, label %group5.exit

group5.body:                                      ; preds = %group5.head
  br label %i.head

group5.exit:                                      ; preds = %group5.head
  ret void

i.head:                                           ; preds = %d.exit69, %group5.body
  %i66 = phi i64 [ 0, %group5.body ], [ %i.next, %d.exit69 ]
  %327 = icmp slt i64 %i66, 8
  br i1 %327, label %i.body, label %i.exit

i.body:                                           ; preds = %i.head
  br label %d.head67

i.exit:                                           ; preds = %i.head
  %group5.next = add nuw nsw i64 %group5, 1
  br label %group5.head

d.head67:                                         ; preds = %r.j.exit, %i.body
  %d70 = phi i64 [ 0, %i.body ], [ %d.next71, %r.j.exit ]
  %328 = icmp slt i64 %d70, 8
  br i1 %328, label %d.body68, label %d.exit69

d.body68:                                         ; preds = %d.head67
  store float 0.000000e+00, float* %acc.j, align 4
  br label %r.j.head

d.exit69:                                         ; preds = %d.head67
  %i.next = add nuw nsw i64 %i66, 1
  br label %i.head

r.j.head:                                         ; preds = %r.j.body, %d.body68
  %r.j = phi i64 [ 0, %d.body68 ], [ %r.j.next, %r.j.body ]
  %329 = icmp slt i64 %r.j, 8
  br i1 %329, label %r.j.body, label %r.j.exit

r.j.body:                                         ; preds = %r.j.head
  %330 = add nuw nsw i64 0, %group5
  %331 = mul nuw nsw i64 %330, 8
  %332 = add nuw nsw i64 %331, %r.j
  %333 = mul nuw nsw i64 %332, 8
  %334 = add nuw nsw i64 %333, %d70
  %335 = getelementptr inbounds float, float* %v, i64 %334
  %336 = load float, float* %335, align 4, !alias.scope !38, !noalias !39
  %337 = add nuw nsw i64 0, %group5
  %338 = mul nuw nsw i64 %337, 8
  %339 = add nuw nsw i64 %338, %i66
  %340 = mul nuw nsw i64 %339, 8
  %341 = add nuw nsw i64 %340, %r.j
  %342 = getelementptr inbounds float, float* %p, i64 %341
  %343 = load float, float* %342, align 4, !alias.scope !36, !noalias !37
  %344 = fmul reassoc arcp contract float %343, %336
  %345 = load float, float* %acc.j, align 4
  %346 = fadd reassoc arcp contract float %345, %344
  store float %346, float* %acc.j, align 4
  %r.j.next = add nuw nsw i64 %r.j, 1
  br label %r.j.head

r.j.exit:                                         ; preds = %r.j.head
  %347 = load float, float* %acc.j, align 4
  %348 = add nuw nsw i64 0, %group5
  %349 = mul nuw nsw i64 %348, 8
  %350 = add nuw nsw i64 %349, %i66
  %351 = mul nuw nsw i64 %350, 8
  %352 = add nuw nsw i64 %351, %d70
  %353 = getelementptr inbounds float, float* %o, i64 %352
  store float %347, float* %353, align 4, !alias.scope !40, !noalias !41
  %d.next71 = add nuw nsw i64 %d70, 1
  br label %d.head67
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sqrt.f32(float) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare <8 x float> @llvm.maxnum.v8f32(<8 x float>, <8 x float>) #1

; Function Attrs: nofree nosync nounwind readnone willreturn
declare float @llvm.vector.reduce.fmax.v8f32(<8 x float>) #2

; Function Attrs: nounwind readnone willreturn
declare float @expf(float) #3

; Function Attrs: nofree nosync nounwind readnone willreturn
declare float @llvm.vector.reduce.fadd.v8f32(float, <8 x float>) #2

attributes #0 = { nounwind }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { nofree nosync nounwind readnone willreturn }
attributes #3 = { nounwind readnone willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"k"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21}
!4 = distinct !{!4, !2, !"q"}
!5 = distinct !{!5, !2, !"q.pack"}
!6 = distinct !{!6, !2, !"k.pack"}
!7 = distinct !{!7, !2, !"v"}
!8 = distinct !{!8, !2, !"v.pack"}
!9 = distinct !{!9, !2, !"s"}
!10 = distinct !{!10, !2, !"s.pack"}
!11 = distinct !{!11, !2, !"p"}
!12 = distinct !{!12, !2, !"p.pack"}
!13 = distinct !{!13, !2, !"p.mx"}
!14 = distinct !{!14, !2, !"p.mx.pack"}
!15 = distinct !{!15, !2, !"p.e"}
!16 = distinct !{!16, !2, !"p.e.pack"}
!17 = distinct !{!17, !2, !"p.s"}
!18 = distinct !{!18, !2, !"p.s.pack"}
!19 = distinct !{!19, !2, !"o"}
!20 = distinct !{!20, !2, !"o.pack"}
!21 = distinct !{!21, !2, !"axon.scratch"}
!22 = !{!6}
!23 = !{!4, !5, !1, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21}
!24 = distinct !{!24, !25}
!25 = !{!"llvm.loop.vectorize.enable", i1 true}
!26 = !{!4}
!27 = !{!5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21}
!28 = !{!9}
!29 = !{!4, !5, !1, !6, !7, !8, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21}
!30 = !{!13}
!31 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !14, !15, !16, !17, !18, !19, !20, !21}
!32 = !{!15}
!33 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !16, !17, !18, !19, !20, !21}
!34 = !{!17}
!35 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !18, !19, !20, !21}
!36 = !{!11}
!37 = !{!4, !5, !1, !6, !7, !8, !9, !10, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21}
!38 = !{!7}
!39 = !{!4, !5, !1, !6, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !19, !20, !21}
!40 = !{!19}
!41 = !{!4, !5, !1, !6, !7, !8, !9, !10, !11, !12, !13, !14, !15, !16, !17, !18, !20, !21}
